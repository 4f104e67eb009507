#!/usr/bin/env bash
# The whole test run on a fresh machine: Debian packages, npm packages, lint + type check, tests.
# Services (mosquitto, sshd, samba, nginx) are started by the tests themselves, on their own ports.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh
# `npm ci` refuses this lock file: npm here records no other-platform optional packages (biome, bcrypt), which
# `npm ci` then reports as missing; `npm install` installs exactly the locked versions all the same
npm install --no-audit --no-fund
npm run check
npm run build
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results.json
# one plain closing line that any CI reader understands
node -e 'const r=require("./test-results.json");console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)'
