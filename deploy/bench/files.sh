#!/usr/bin/env bash
# The files benchmarks (docs/benchmarks.md, issue 14), against a running local stack (deploy/local/run) started with
# limits that let the files through:
#   PARLEY_FILES_MAX_SIZE=200M PARLEY_GATEWAY_MAX_BODY_SIZE=256M deploy/local/run
#   deploy/bench/files.sh throughput 100     # one 100 MiB file up and down, then ten at once, with heap readings
#   deploy/bench/files.sh thumbnail 200      # upload start of a 2 MB photo to the other participant's thumbnail
# It runs `bench files-throughput` or `bench files-thumbnail` (io.parley.bench.Bench).
set -euo pipefail
cd "$(dirname "$0")/../.."
case "${1:-}" in
  throughput|thumbnail) ;;
  *) echo "usage: deploy/bench/files.sh throughput <MiB> | thumbnail <count>" >&2
     exit 2 ;;
esac
if [[ ! -f deploy/bench/target/bench.jar \
   || -n "$(find deploy/bench/pom.xml deploy/bench/src/main -newer deploy/bench/target/bench.jar -print -quit)" ]]; then
  ./mvnw -B -q package -DskipTests -pl deploy/bench -am
fi
command=files-$1
shift
exec java -Xmx1g -cp "deploy/bench/target/bench.jar:deploy/bench/target/lib/*" io.parley.bench.Bench "$command" "$@"
