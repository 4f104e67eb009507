#!/usr/bin/env bash
# The whole test run on a fresh machine: Debian packages, npm packages, lint + type check, tests.
# Services (mosquitto, sshd, samba, nginx) are started by the tests themselves, on their own ports.
# Arguments go to vitest (`bash scripts/test.sh test/report` runs only those files); none runs them all.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh
# `npm install` installs exactly the locked versions (the lock holds every platform's optional packages, so it
# stays unchanged) and does nothing when node_modules is current; `npm ci` would delete node_modules and build
# better-sqlite3 from source again on every run
npm install --no-audit --no-fund
npm run check
npm run build
# the machine-readable results go to a temporary folder, not the checkout: a file left in the repository would
# be linted by the next run's `npm run check` (and shows up in `git status`)
results_dir=$(mktemp -d)
trap 'rm -rf "$results_dir"' EXIT
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$results_dir/test-results.json" "$@" || status=$?
# one plain closing line that any CI reader understands
node -e 'const r=require(process.argv[1]);console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)' \
  "$results_dir/test-results.json" || true
exit "$status"
