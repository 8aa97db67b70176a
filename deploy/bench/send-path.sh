#!/usr/bin/env bash
# The send-path benchmark of the message-service (docs/benchmarks.md). Start the stack first, for example:
#   PARLEY_JAVA_OPTS="-Xms256m -Xmx512m -XX:+UseParallelGC" deploy/local/run
# then: deploy/bench/send-path.sh max 64 30     (sustained sends/s with 64 sends in flight, 30 s)
#       deploy/bench/send-path.sh rate 1000 30  (latency at 1,000 sends/s, open loop, 30 s)
# It runs `bench send-path` (io.parley.bench.Bench); deploy/bench/send-path.sh --help lists its options.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ ! -f deploy/bench/target/bench.jar \
   || -n "$(find deploy/bench/pom.xml deploy/bench/src/main -newer deploy/bench/target/bench.jar -print -quit)" ]]; then
  ./mvnw -B -q package -DskipTests -pl deploy/bench -am
fi
exec java -Xmx512m -cp "deploy/bench/target/bench.jar:deploy/bench/target/lib/*" io.parley.bench.Bench send-path "$@"
