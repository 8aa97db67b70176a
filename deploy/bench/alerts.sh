#!/usr/bin/env bash
# Push alerts per second and their lag (docs/benchmarks.md), against a local stack started with a short grace delay:
#   PARLEY_NOTIFICATION_GRACE_DELAY=2s deploy/local/run        # in one terminal
#   PARLEY_NOTIFICATION_GRACE_DELAY=2s deploy/bench/alerts.sh 5000        # 5,000 alerts due at once
#   PARLEY_NOTIFICATION_GRACE_DELAY=2s deploy/bench/alerts.sh 10000 500    # 500 new alerts a second, 20 s
# It runs `bench alerts` (io.parley.bench.Bench); deploy/bench/alerts.sh --help lists its options.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ ! -f deploy/bench/target/bench.jar \
   || -n "$(find deploy/bench/pom.xml deploy/bench/src/main -newer deploy/bench/target/bench.jar -print -quit)" ]]; then
  ./mvnw -B -q package -DskipTests -pl deploy/bench -am
fi
exec java -Xmx1g -cp "deploy/bench/target/bench.jar:deploy/bench/target/lib/*" io.parley.bench.Bench alerts "$@"
