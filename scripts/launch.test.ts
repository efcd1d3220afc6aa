// The launcher and the scripts, spawned as a user runs them: a bad setting or a busy port stops them before
// anything starts, with one line that names the variable to change.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const dataDir = mkdtempSync(path.join(tmpdir(), "parley-launch-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs a script with only these variables (and PATH), as from a clean shell with no .env. */
function run(script: string, args: string[], vars: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [script, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PARLEY_DATA_DIR: dataDir, ...vars } as unknown as NodeJS.ProcessEnv,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const bad = {
  UNIPILE_WEBHOOK_SECRET: "short123",
  AUTH_SECRET: "short",
  PUBLIC_URL: "not-a-url",
  DATABASE_POOL_MAX: "0",
  UNIPILE_DSN: "ftp://x",
};
const badLines = [
  /^ {2}DATABASE_POOL_MAX is "0": expected a whole number of connections from 1 to 1000$/m,
  /^ {2}UNIPILE_DSN is "ftp:\/\/x": expected host:port \(e\.g\. api8\.unipile\.com:13851\) or an http\(s\) URL$/m,
  /^ {2}UNIPILE_WEBHOOK_SECRET is 8 characters long: expected at least 16 characters/m,
  /^ {2}PUBLIC_URL is "not-a-url": expected an http\(s\) URL/m,
  /^ {2}AUTH_SECRET is 5 characters long: expected at least 16 characters/m,
];

function expectCleanFailure(r: Run, lines: RegExp[]) {
  expect(r.code, r.stderr).toBe(1);
  for (const line of lines) expect(r.stderr).toMatch(line);
  expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace
  expect(r.stdout).not.toMatch(/Embedded PostgreSQL|Unipile simulator|Building/); // nothing was started
}

// Each case spawns tsx, which takes seconds on a loaded 2-core machine.
describe("a bad setting stops before anything starts", { timeout: 60_000 }, () => {
  it("npm start prints one line per bad variable and exits 1", async () => {
    const r = await run("scripts/launch.ts", [], bad);
    expectCleanFailure(r, [/^Parley cannot start: fix these settings/m, ...badLines]);
    expect(r.stderr.trim().split("\n")).toHaveLength(1 + badLines.length);
  });

  it("npm run db:migrate too, and says when DATABASE_URL is missing", async () => {
    const r = await run("scripts/migrate.ts", ["apply"], { ...bad, DATABASE_POOL_MAX: "10" });
    expectCleanFailure(r, [/^db:migrate cannot run/m, /^ {2}DATABASE_URL is not set: expected a PostgreSQL URL/m, ...badLines.slice(1)]);
  });

  it("npm run user:add too", async () => {
    const r = await run("scripts/user-add.ts", ["--email", "a@b.c", "--password", "a-long-password"], bad);
    expectCleanFailure(r, [/^user:add cannot run/m, ...badLines]);
  });
});

async function occupy(host = "127.0.0.1"): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, host, r));
  return { port: (server.address() as { port: number }).port, server };
}
async function freePort(): Promise<number> {
  const { port, server } = await occupy();
  await new Promise((r) => server.close(r));
  return port;
}

describe("a port in use names the variable to change", { timeout: 60_000 }, () => {
  for (const variable of ["PORT", "SIMULATOR_PORT", "PGLITE_PORT"] as const) {
    it(variable, async () => {
      const busy = await occupy();
      try {
        const ports = { PORT: String(await freePort()), SIMULATOR_PORT: String(await freePort()), PGLITE_PORT: "0" };
        const r = await run("scripts/launch.ts", [], { ...ports, [variable]: String(busy.port) });
        expect(r.code, r.stdout + r.stderr).toBe(1);
        expect(r.stderr.trim()).toBe(
          `Port ${busy.port} is already in use: set ${variable} to a free port (in .env or the environment), or stop what is using it.`,
        );
        expect(r.stdout).not.toMatch(/Embedded PostgreSQL|Unipile simulator/);
      } finally {
        await new Promise((r) => busy.server.close(r));
      }
    });
  }
});
