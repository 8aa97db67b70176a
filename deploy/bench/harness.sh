#!/usr/bin/env bash
# The benchmark harness (docs/benchmarks.md): loads the whole system through the gateway as apps do and reports
# end-to-end latency, loss and duplicates by seq, throughput, connections, CPU and memory of every process.
#
#   deploy/bench/harness.sh all                                  # every scenario, each on a fresh local stack
#   deploy/bench/harness.sh pairs --rates 100,500,1000,2000 --users 2000 --seconds 30
#   deploy/bench/harness.sh max --users 2000 --start 1000 --step 500 --trial 15 --hold 60 --p99 100
#   deploy/bench/harness.sh fanout --members 1000 --messages 30 --interval 500
#   deploy/bench/harness.sh idle --connections 20000 --connect-rate 500
#   deploy/bench/harness.sh storm --users 2000 --rate 200 --before 5 --after 5
#   deploy/bench/harness.sh fuzz --inputs 100000 --seed 42      # generated requests and frames; no 5xx
#   deploy/bench/harness.sh soak --rate 100 --minutes 20 --retention PT2M --prune-interval PT30S
#   deploy/bench/harness.sh otel-cost --rate 1000 --sample 0.01  # traces off, then sampled, on fresh stacks: CPU, p99
#
# Without --gateway it starts the local stack itself (deploy/local's launcher, a fresh data folder under
# deploy/bench/target, the ports of the README's table) and stops it at the end. With --gateway http://host:port it
# targets a running stack: tokens are signed with the key in <--data>/keys (default .local-data, the local stack's),
# or in --keys DIR (a jwt-private.pem whose public half the stack trusts, issuer --issuer); CPU, memory and the
# storm's kill need the stack's pids file in --data. --sources N spreads connections over 127.0.0.1..N (default 4).
# --json FILE names the results file (default deploy/bench/target/harness-<time>.json).
# It runs the scenario's subcommand of the benchmarks' one command line (io.parley.bench.Bench): `harness.sh --help`
# lists every benchmark, `harness.sh pairs --help` a scenario's options and their defaults.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ ! -f deploy/bench/target/bench.jar || ! -f gateway/target/quarkus-app/quarkus-run.jar \
   || -n "$(find deploy/bench/pom.xml deploy/bench/src/main -newer deploy/bench/target/bench.jar -print -quit)" ]]; then
  ./mvnw -B -q package -DskipTests
fi
exec java -Xmx2g -XX:+UseParallelGC -Dparley.repository="$(pwd)" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "deploy/bench/target/bench.jar:deploy/bench/target/lib/*" io.parley.bench.Bench "$@"
