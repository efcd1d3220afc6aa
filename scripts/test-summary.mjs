// Sums the JSON reports of every suite into the one closing line CI reads: "N passed, N failed".
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const dir = process.argv[2];
let passed = 0;
let failed = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  const r = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
  if (r.stats) {
    // Playwright: expected = passed, unexpected = failed, flaky counts as failed (we run without retries).
    passed += r.stats.expected;
    failed += r.stats.unexpected + r.stats.flaky;
    if (r.errors?.length) failed += r.errors.length;
  } else {
    // Vitest: failed tests, plus files that failed without a failing test (an error in a hook or import).
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    failed += (r.testResults ?? []).filter(
      (f) => f.status === "failed" && !f.assertionResults?.some((a) => a.status === "failed"),
    ).length;
  }
}
const expected = ["unit.json", "integration-pglite.json", "e2e.json"];
for (const f of expected) {
  if (existsSync(path.join(dir, f))) continue;
  failed += 1;
  console.error(`missing report: ${f}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
