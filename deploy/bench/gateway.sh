#!/usr/bin/env bash
# The inbox and support-desk benchmarks (docs/benchmarks.md), against a running local stack (deploy/local/run);
# end-to-end delivery, idle connections, fan-out and the reconnect storm are deploy/bench/harness.sh's:
#   deploy/bench/gateway.sh inbox 200 1000 30     # ack to the recipient's unread count and list, 200 messages/s
#   deploy/bench/gateway.sh desk 10000 2000       # an admin's first page of the support desk, 10,000 conversations
# The send rate limit is per user (20/s): at 500 messages/s over 500 senders each sends 1/s.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ ! -f deploy/bench/target/bench.jar ]]; then
  ./mvnw -B -q package -DskipTests -pl deploy/bench -am
fi
exec java -Xmx1g -cp "deploy/bench/target/bench.jar:deploy/bench/target/lib/*" io.parley.bench.GatewayBench "$@"
