#!/usr/bin/env bash
# Runs test files while a busy loop saturates every core, the way a shared CI machine is loaded, so a test
# that waits for time instead of for an event shows itself here rather than on someone else's run.
#
#   bash scripts/stress-test.sh [--runs N] [--hogs N] TEST_FILE...
#
# --runs  how many times to run the files (default 3); stops at the first failing run
# --hogs  how many busy loops (default: one per core, from nproc)
# Exit code: vitest's, of the first failing run, or 0 when every run passed.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
hogs=$(nproc)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --hogs) hogs="$2"; shift 2 ;;
    --) shift; break ;;
    -*) echo "stress-test: unknown option $1 (see the comment at the top of this script)" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [[ $# -eq 0 ]]; then
  echo "stress-test: name the test files to run, e.g. test/network/tls-nginx.test.ts" >&2
  exit 2
fi

hog_pids=()
stop_hogs() {
  # only the loops this script started, by their process id
  for pid in "${hog_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${hog_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_hogs EXIT INT TERM

for ((i = 0; i < hogs; i++)); do
  (while :; do :; done) &
  hog_pids+=("$!")
done
echo "stress-test: ${#hog_pids[@]} busy loop(s) on $(nproc) core(s); ${runs} run(s) of: $*" >&2

for ((run = 1; run <= runs; run++)); do
  echo "stress-test: run ${run}/${runs}" >&2
  status=0
  npx vitest run "$@" || status=$?
  if [[ $status -ne 0 ]]; then
    echo "stress-test: run ${run}/${runs} failed (exit ${status})" >&2
    exit "$status"
  fi
done
echo "stress-test: all ${runs} run(s) passed under load" >&2
