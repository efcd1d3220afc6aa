// npm test's closing lines: every failure named above the count, so the tail of a CI log says what failed.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";

const script = path.join(import.meta.dirname, "test-summary.mjs");

function summarise(reports: Record<string, unknown>) {
  const dir = mkdtempSync(path.join(tmpdir(), "parley-summary-"));
  for (const [name, body] of Object.entries(reports)) writeFileSync(path.join(dir, name), JSON.stringify(body));
  try {
    return { code: 0, out: execFileSync("node", [script, dir], { encoding: "utf8" }) };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    return { code: e.status, out: e.stdout };
  }
}

const vitest = (files: unknown[]) => ({ numPassedTests: 2, numFailedTests: 1, testResults: files });
const e2e = (tests: unknown[]) => ({
  stats: { expected: 3, unexpected: 1, flaky: 0 },
  suites: [{ specs: [], suites: [{ specs: [{ file: "inbox.spec.ts", line: 12, title: "sends a message", tests }] }] }],
  errors: [],
});

it("names each failed test with its file and the first line of its error, then counts", () => {
  const { code, out } = summarise({
    "unit.json": vitest([{ name: path.resolve("src/a.test.ts"), status: "failed", assertionResults: [{ status: "failed", fullName: "a adds", failureMessages: ["\u001b[31mAssertionError: expected 2 to be 3\u001b[39m\n    at a.test.ts:4"] }] }]),
    "integration-pglite.json": vitest([{ name: path.resolve("src/b.int.test.ts"), status: "failed", message: "Hook timed out in 120000ms", assertionResults: [] }]),
    "e2e.json": e2e([
      {
        status: "unexpected",
        results: [
          {
            errors: [
              {
                message: "Error: expect(locator).toHaveText(expected) failed\n\nLocator: getByTestId('x')\nExpected pattern: /^a/\nReceived string: \"b\"\nTimeout: 15000ms\n\nCall log:\n  - waiting",
                location: { file: "/repo/e2e/inbox.spec.ts", line: 14, column: 3 },
              },
            ],
          },
        ],
      },
    ]),
  });
  expect(code).toBe(1);
  const lines = out.trim().split("\n");
  expect(lines).toEqual([
    expect.stringContaining("FAILED unit src/a.test.ts › a adds — AssertionError: expected 2 to be 3"),
    expect.stringContaining("FAILED integration-pglite src/b.int.test.ts (file) — Hook timed out in 120000ms"),
    expect.stringContaining("FAILED e2e inbox.spec.ts:12 › sends a message — unexpected: Error: expect(locator).toHaveText(expected) failed"),
    "    at inbox.spec.ts:14",
    "    Locator: getByTestId('x')",
    "    Expected pattern: /^a/",
    '    Received string: "b"',
    "7 passed, 3 failed",
  ]);
});

it("counts a missing report as a failure and passes when nothing failed", () => {
  expect(summarise({ "unit.json": { numPassedTests: 5, testResults: [] } }).out).toContain("missing report: integration-pglite.json");
  const ok = summarise({
    "unit.json": { numPassedTests: 5, testResults: [] },
    "integration-pglite.json": { numPassedTests: 4, testResults: [] },
    "e2e.json": { stats: { expected: 1, unexpected: 0, flaky: 0 }, suites: [], errors: [] },
  });
  expect(ok).toEqual({ code: 0, out: "10 passed, 0 failed\n" });
});
