#!/usr/bin/env bash
# The threat scorecard: the e2e suite (e2e/) in Debian's Chromium against the built reader,
# then docs/SCORECARD.md and the README table from its JSON report. The scorecard is written
# even when tests fail (their cells then say FAILED); the exit status is the suite's.
# Expects Chromium at /usr/bin/chromium (or CHROMIUM_PATH) and `npm run build` done: .ci/run
# sees to both.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ ! -f apps/reader/dist/server/main.js ]; then
  echo "e2e: apps/reader/dist is missing: run \`npm run build\` first" >&2
  exit 1
fi

# A report left over from an earlier run must never become this run's scorecard.
rm -f test-results/e2e.json

started=$(date +%s)
suite=0
npm run test:e2e || suite=$?
echo "e2e: suite finished with status $suite in $(($(date +%s) - started)) s"

npm run scorecard || exit 1
exit "$suite"
