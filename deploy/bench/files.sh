#!/usr/bin/env bash
# The files benchmarks (docs/benchmarks.md, issue 14), against a running local stack (deploy/local/run) started with
# limits that let the files through:
#   PARLEY_FILES_MAX_SIZE=200M PARLEY_GATEWAY_MAX_BODY_SIZE=256M deploy/local/run
#   deploy/bench/files.sh throughput 100     # one 100 MiB file up and down, then ten at once, with heap readings
#   deploy/bench/files.sh thumbnail 200      # upload start of a 2 MB photo to the other participant's thumbnail
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ ! -f deploy/bench/target/bench.jar ]]; then
  ./mvnw -B -q package -DskipTests -pl deploy/bench -am
fi
exec java -Xmx1g -cp "deploy/bench/target/bench.jar:deploy/bench/target/lib/*" io.parley.bench.FilesBench "$@"
