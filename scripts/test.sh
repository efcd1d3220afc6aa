#!/usr/bin/env bash
# npm test: lint (Biome), then unit, integration (embedded PGlite, and TEST_DATABASE_URL's PostgreSQL when set), the read-replica
# tests (their own PostgreSQL primary + replica, where the server binaries exist), then e2e in Chromium.
# Prints one closing line "N passed, N failed" over every suite.
set -u
cd "$(dirname "$0")/.."
out=test-results/summary
rm -rf "$out" && mkdir -p "$out"

if ! [ -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the e2e tests…"
  (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 || echo "could not install chromium"
fi

status=0
run() { "$@" || status=1; }

# Lint first: a failing lint fails npm test (CI runs exactly this command), but the tests still run.
lint=ok
npm run --silent lint || { lint=failed; status=1; }

run npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$out/unit.json"
TEST_DATABASE_URL= run npx vitest run --project integration --reporter=default --reporter=json --outputFile.json="$out/integration-pglite.json"
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "Integration tests against PostgreSQL at ${TEST_DATABASE_URL%%@*}@…"
  run npx vitest run --project integration --reporter=default --reporter=json --outputFile.json="$out/integration-postgres.json"
fi
# A PostgreSQL primary and streaming replica that the tests start themselves; without server binaries they say so and skip.
run npx vitest run --project replica --reporter=default --reporter=json --outputFile.json="$out/replica.json"
PLAYWRIGHT_JSON_OUTPUT_NAME="$out/e2e.json" run npx playwright test --reporter=list,json

node scripts/test-summary.mjs "$out" || status=1
[ "$lint" = ok ] || echo "lint failed: run npm run lint for the findings"
exit $status
