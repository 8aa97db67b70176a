#!/usr/bin/env bash
# Measures the README's two commands, cold and warm, and the memory of the running local stack.
# Usage: deploy/bench/startup.sh [--empty-maven-repo]
#   --empty-maven-repo  the cold runs also start from an empty Maven repository (everything is downloaded),
#                       as on a fresh machine; without it they start from a fresh clone with ~/.m2 as it is.
# Prints a Markdown table for docs/benchmarks.md. Needs the ports of the default configuration free.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${BENCH_DIR:-/tmp/parley-startup-bench}
rm -rf "$work"
mkdir -p "$work"
maven_args=""
if [[ "${1:-}" == "--empty-maven-repo" ]]; then
  maven_args="-Dmaven.repo.local=$work/m2"
fi
export MAVEN_ARGS="$maven_args"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# Starts deploy/local/run in $1, waits for the ready line; sets start_seconds and stack_pid.
start_stack() {
  local dir=$1 log=$2
  local t0; t0=$(now)
  (cd "$dir" && setsid deploy/local/run >"$log" 2>&1) &
  stack_pid=$!
  while ! grep -q "READY" "$log"; do
    if ! kill -0 "$stack_pid" 2>/dev/null; then echo "stack failed, see $log" >&2; cat "$log" >&2; exit 1; fi
    sleep 0.2
  done
  start_seconds=$(elapsed "$t0" "$(now)")
}

stop_stack() {
  local t0; t0=$(now)
  local launcher; launcher=$(pgrep -f "io.parley.local.LocalStack" | head -1)
  # SIGTERM to the whole process group. (Ctrl-C sends SIGINT, which background jobs of a script ignore.)
  kill -TERM -- "-$launcher"
  wait "$stack_pid" || true
  stop_seconds=$(elapsed "$t0" "$(now)")
  left=$(pgrep -f "quarkus-run.jar|KafkaBrokerMain|$work/.*postgres" | wc -l || true)
}

rss_table() {
  local launcher; launcher=$(pgrep -f "io.parley.local.LocalStack" | head -1)
  local total=0
  echo "| process | RSS (MiB) |"
  echo "|---|---|"
  for pid in $(pgrep -P "$launcher"); do
    local name; name=$(tr '\0' ' ' </proc/"$pid"/cmdline | grep -oE '[a-z-]+/target/quarkus-app|KafkaBrokerMain' | sed 's#/target/quarkus-app##')
    local kb; kb=$(awk '/VmRSS/ {print $2}' /proc/"$pid"/status)
    total=$((total + kb))
    echo "| $name | $((kb / 1024)) |"
  done
  local pg=0
  for pid in $(pgrep -f "$1/.local-data/postgres|postgres: " || true); do
    if [[ -r /proc/$pid/status ]]; then pg=$((pg + $(awk '/VmRSS/ {print $2}' /proc/"$pid"/status))); fi
  done
  local lk; lk=$(awk '/VmRSS/ {print $2}' /proc/"$launcher"/status)
  echo "| PostgreSQL (all its processes) | $((pg / 1024)) |"
  echo "| launcher | $((lk / 1024)) |"
  echo "| **total** | **$(((total + pg + lk) / 1024))** |"
}

git clone -q "$repo" "$work/run"
start_stack "$work/run" "$work/run-cold.log"; run_cold=$start_seconds
sleep 5
memory=$(rss_table "$work/run")
stop_stack; stop_cold=$stop_seconds; left_cold=$left
start_stack "$work/run" "$work/run-warm.log"; run_warm=$start_seconds
stop_stack; stop_warm=$stop_seconds; left_warm=$left

git clone -q "$repo" "$work/verify"
t0=$(now); (cd "$work/verify" && ./mvnw -B -q verify >"$work/verify-cold.log" 2>&1); verify_cold=$(elapsed "$t0" "$(now)")
t0=$(now); (cd "$work/verify" && ./mvnw -B -q verify >"$work/verify-warm.log" 2>&1); verify_warm=$(elapsed "$t0" "$(now)")

cat <<TABLE
Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1); Maven repository: ${maven_args:-~/.m2 as found}

| command | cold (fresh clone) | warm (again) |
|---|---|---|
| \`deploy/local/run\` until its ready line | ${run_cold} s | ${run_warm} s |
| SIGTERM until every process has ended | ${stop_cold} s (left: ${left_cold}) | ${stop_warm} s (left: ${left_warm}) |
| \`./mvnw verify\` | ${verify_cold} s | ${verify_warm} s |

Memory of the running stack, idle, 5 s after ready:

$memory
TABLE
