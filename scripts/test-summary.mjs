// Sums the JSON reports of every suite into the one closing line CI reads: "N passed, N failed",
// preceded by one line per failure (suite, file, test, first line of the error), so the tail of a log says what failed.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const dir = process.argv[2];
let passed = 0;
const failures = [];
const colour = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
const firstLine = (text) => (text ?? "").replace(colour, "").trim().split("\n")[0].slice(0, 300);

/** Where a Playwright assertion failed and what it saw, one indented line each (the log's tail is all CI shows). */
function details(error) {
  const lines = (error?.message ?? "").replace(colour, "").split("\n");
  const seen = lines.filter((l) => /^(Locator|Expected|Received|Error: strict mode)/.test(l.trim())).slice(0, 4);
  const at = error?.location ? [`at ${path.basename(error.location.file)}:${error.location.line}`] : [];
  return [...at, ...seen].map((l) => `\n    ${l.trim().slice(0, 300)}`).join("");
}

function playwrightFailures(suite, specs, out) {
  for (const s of specs ?? []) {
    for (const child of s.suites ?? []) playwrightFailures(suite, [child], out);
    for (const spec of s.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status === "expected" || t.status === "skipped") continue;
        const error = t.results?.flatMap((r) => r.errors ?? [])[0];
        out.push(`${suite} ${spec.file}:${spec.line} › ${spec.title} — ${t.status}: ${firstLine(error?.message)}${details(error)}`);
      }
    }
  }
}

// In the order npm test runs the suites.
const order = ["unit", "integration-pglite", "integration-postgres", "replica", "e2e"];
const rank = (f) => (order.indexOf(f.replace(/\.json$/, "")) + order.length + 1) % (order.length + 1);
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort((a, b) => rank(a) - rank(b))) {
  const suite = file.replace(/\.json$/, "");
  const r = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
  if (r.stats) {
    // Playwright: expected = passed, unexpected = failed, flaky counts as failed (we run without retries).
    passed += r.stats.expected;
    playwrightFailures(suite, r.suites, failures);
    for (const e of r.errors ?? []) failures.push(`${suite} (outside a test): ${firstLine(e.message)}`);
  } else {
    // Vitest: failed tests, plus files that failed without a failing test (an error in a hook or import).
    passed += r.numPassedTests;
    const before = failures.length;
    for (const f of r.testResults ?? []) {
      const rel = path.relative(process.cwd(), f.name);
      const bad = (f.assertionResults ?? []).filter((a) => a.status === "failed");
      for (const a of bad) failures.push(`${suite} ${rel} › ${a.fullName} — ${firstLine(a.failureMessages?.[0])}`);
      if (f.status === "failed" && bad.length === 0) failures.push(`${suite} ${rel} (file) — ${firstLine(f.message)}`);
    }
    // Every test passed but the run did not: an unhandled error (an exception outside any test), which vitest fails on.
    if (r.success === false && failures.length === before) failures.push(`${suite} — an unhandled error outside the tests (see the suite's log above)`);
  }
}
for (const f of ["unit.json", "integration-pglite.json", "e2e.json"]) {
  if (!existsSync(path.join(dir, f))) failures.push(`missing report: ${f}`);
}
for (const f of failures) console.log(`FAILED ${f}`);
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length > 0 ? 1 : 0);
