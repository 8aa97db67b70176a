#!/usr/bin/env bash
# The inbox and support-desk benchmarks (docs/benchmarks.md), against a running local stack (deploy/local/run);
# end-to-end delivery, idle connections, fan-out and the reconnect storm are deploy/bench/harness.sh's:
#   deploy/bench/gateway.sh inbox 200 1000 30     # ack to the recipient's unread count and list, 200 messages/s
#   deploy/bench/gateway.sh desk 10000 2000       # an admin's first page of the support desk, 10,000 conversations
# The send rate limit is per user (20/s): at 500 messages/s over 500 senders each sends 1/s.
# It runs `bench inbox` or `bench desk` (io.parley.bench.Bench); add --help after inbox or desk for the options.
set -euo pipefail
cd "$(dirname "$0")/../.."
case "${1:-}" in
  inbox|desk) ;;
  *) echo "usage: deploy/bench/gateway.sh inbox <messages/s> <users> <seconds> | desk <conversations> <requests>" >&2
     exit 2 ;;
esac
if [[ ! -f deploy/bench/target/bench.jar \
   || -n "$(find deploy/bench/pom.xml deploy/bench/src/main -newer deploy/bench/target/bench.jar -print -quit)" ]]; then
  ./mvnw -B -q package -DskipTests -pl deploy/bench -am
fi
exec java -Xmx1g -cp "deploy/bench/target/bench.jar:deploy/bench/target/lib/*" io.parley.bench.Bench "$@"
