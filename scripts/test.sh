#!/usr/bin/env bash
# npm test: lint (Biome), then unit, integration on embedded PGlite, the read-replica tests (their own PostgreSQL
# primary + replica, where the server binaries exist), then e2e in Chromium, with the integration tests on
# TEST_DATABASE_URL's PostgreSQL (when set) beside it.
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
# A PostgreSQL primary and streaming replica that the tests start themselves; without server binaries they say so and skip.
run npx vitest run --project replica --reporter=default --reporter=json --outputFile.json="$out/replica.json"
# The PostgreSQL integration suite runs beside e2e, one file at a time: e2e alone kept ~1.7 of 2 cores busy, so
# this costs e2e little and saves the suite's own 4 minutes (a clean-clone run: e2e 19.5 min, suite 10 min beside it).
# Its log is printed once it is done.
pg_int=
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "Integration tests against PostgreSQL at ${TEST_DATABASE_URL%%@*}@…, beside e2e (log below, when both are done)"
  PARLEY_INT_WORKERS=1 npx vitest run --project integration --reporter=default --reporter=json --outputFile.json="$out/integration-postgres.json" \
    > "$out/integration-postgres.log" 2>&1 &
  pg_int=$!
fi
PLAYWRIGHT_JSON_OUTPUT_NAME="$out/e2e.json" run npx playwright test --reporter=list,json
if [ -n "$pg_int" ]; then
  echo "Integration tests against PostgreSQL at ${TEST_DATABASE_URL%%@*}@…:"
  wait "$pg_int" || status=1
  cat "$out/integration-postgres.log"
fi

node scripts/test-summary.mjs "$out" || status=1
[ "$lint" = ok ] || echo "lint failed: run npm run lint for the findings"
exit $status
