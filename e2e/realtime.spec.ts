// Realtime across app instances: two `next start` processes of the built app share one real
// PostgreSQL (TEST_DATABASE_URL's server, else a throwaway PostgreSQL 15 started here) and one
// simulator. A webhook lands on instance A; the browser on instance B sees it through LISTEN/NOTIFY,
// without a reload. Instance B then goes down while messages keep arriving, comes back, and its
// browser's stream resumes from its last event id: nothing is lost.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, expect, type Page, test } from "@playwright/test";
import pg from "pg";
import { type Simulator, startSimulator } from "../simulator/server";

const root = path.resolve(import.meta.dirname, "..");
const PORT_A = Number(process.env.E2E_RT_PORT_A ?? 3210);
const PORT_B = Number(process.env.E2E_RT_PORT_B ?? 3211);
const ADMIN = { email: "realtime-admin@parley.local", password: "realtime-e2e-pass" };
const SECRET = randomBytes(18).toString("hex");
const AUTH_SECRET = randomBytes(24).toString("hex");

let sim: Simulator;
let dbUrl: string;
let cleanups: (() => Promise<void> | void)[] = [];
const apps = new Map<number, ChildProcess>();

/** A PostgreSQL server we may CREATE DATABASE on: CI's, or one started for this spec. */
async function postgresServer(): Promise<string> {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  const bin = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"].find((d) => existsSync(`${d}/pg_ctl`));
  if (!bin) throw new Error("No TEST_DATABASE_URL and no PostgreSQL server binaries (apt-get install postgresql)");
  const dir = mkdtempSync(path.join(tmpdir(), "parley-e2e-pg-"));
  const port = 55000 + Math.floor(Math.random() * 900);
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string) => (asRoot ? execFileSync("su", ["postgres", "-c", cmd], { stdio: "pipe" }) : execFileSync("sh", ["-c", cmd], { stdio: "pipe" }));
  if (asRoot) execFileSync("chown", ["postgres:postgres", dir]);
  run(`${bin}/initdb -D ${dir}/data -U postgres --auth=trust -E UTF8`);
  run(`${bin}/pg_ctl -D ${dir}/data -l ${dir}/server.log -o '-p ${port} -c listen_addresses=127.0.0.1 -k /tmp -c fsync=off' -w start`);
  cleanups.push(() => void run(`${bin}/pg_ctl -D ${dir}/data -m immediate stop`));
  return `postgresql://postgres@127.0.0.1:${port}/postgres`;
}

function startApp(port: number): Promise<void> {
  const proc = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      DATABASE_URL: dbUrl,
      PARLEY_EMBEDDED_DB: "0",
      DATABASE_POOL_MAX: "5",
      AUTH_SECRET,
      UNIPILE_DSN: sim.url,
      UNIPILE_API_KEY: sim.apiKey,
      UNIPILE_WEBHOOK_SECRET: SECRET,
      // Both instances register the same URL: the second finds the hooks in place.
      PUBLIC_URL: `http://127.0.0.1:${PORT_A}`,
      PARLEY_SYNC_ON_START: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  proc.stdout!.on("data", (d) => (log += d));
  proc.stderr!.on("data", (d) => (log += d));
  apps.set(port, proc);
  return (async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`app on ${port} exited:\n${log}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`app on ${port} did not start:\n${log}`);
  })();
}

async function stopApp(port: number) {
  const proc = apps.get(port);
  apps.delete(port);
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once("exit", r));
  proc.kill("SIGKILL");
  await exited;
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const server = await postgresServer();
  const name = `parley_e2e_rt_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(server);
  u.pathname = `/${name}`;
  dbUrl = u.toString();
  cleanups.unshift(async () => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });

  sim = await startSimulator({ port: 0, seed: 11, webhookRetryDelaysMs: [200, 500, 1000, 2000] });
  cleanups.unshift(() => sim.close());
  // Migrations and the first admin, the way an operator adds one.
  execFileSync(process.execPath, ["--import", "tsx", "scripts/user-add.ts", "--email", ADMIN.email, "--password", ADMIN.password, "--role", "admin"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: dbUrl },
    stdio: "pipe",
  });
  await Promise.all([startApp(PORT_A), startApp(PORT_B)]);
  // Instance A (and B, idempotently) registered its webhooks with the simulator on start.
  await expect
    .poll(async () => [...sim.webhooks.hooks.values()].map((h) => `${h.source} ${h.request_url}`).sort(), { timeout: 30_000 })
    .toEqual([`account_status http://127.0.0.1:${PORT_A}/api/webhooks/unipile`, `messaging http://127.0.0.1:${PORT_A}/api/webhooks/unipile`]);
});

test.afterAll(async () => {
  for (const port of [...apps.keys()]) await stopApp(port);
  for (const c of cleanups) await c();
  cleanups = [];
});

async function openInbox(browser: Browser, port: number): Promise<Page> {
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText(ADMIN.email);
  await expect(page.getByTestId("live-status")).toHaveText("Live");
  return page;
}

function inbound(text: string, senderName: string) {
  const account = sim.store.accounts.find((a) => a.type === "WHATSAPP" && a.status === "OK")!;
  return fetch(`${sim.url}/_sim/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ account_id: account.id, text, sender_name: senderName }),
  }).then((r) => r.json() as Promise<{ chat_id: string; message_id: string }>);
}

const row = (page: Page, name: string) => page.getByTestId("chat-row").filter({ hasText: name });

test("a message received by one instance reaches browsers on both; a dropped stream catches up", async ({ browser }) => {
  test.setTimeout(120_000);
  const pageA = await openInbox(browser, PORT_A);
  const pageB = await openInbox(browser, PORT_B);
  const loadsB: string[] = [];
  pageB.on("load", () => loadsB.push(pageB.url()));

  const tag = randomBytes(3).toString("hex");
  await inbound(`Hello from the simulator ${tag}`, `Realtime Rita ${tag}`);
  for (const page of [pageA, pageB]) {
    await expect(row(page, `Realtime Rita ${tag}`)).toContainText(`Hello from the simulator ${tag}`);
  }
  await pageB.screenshot({ path: "test-results/screenshots/realtime-instance-b.png" });

  // Instance B goes away: its browser's stream breaks…
  await stopApp(PORT_B);
  await expect(pageB.getByTestId("live-status")).not.toHaveText("Live", { timeout: 30_000 });
  // …while messages keep arriving through instance A.
  await inbound(`While you were away ${tag}`, `Offline Otto ${tag}`);
  await inbound(`Second while away ${tag}`, `Offline Olga ${tag}`);
  await expect(row(pageA, `Offline Otto ${tag}`)).toContainText(`While you were away ${tag}`);
  await expect(row(pageA, `Offline Olga ${tag}`)).toContainText(`Second while away ${tag}`);
  await expect(row(pageB, `Offline Otto ${tag}`)).toHaveCount(0);

  // B is back: the stream reconnects with its last event id and replays what it missed.
  await startApp(PORT_B);
  await expect(pageB.getByTestId("live-status")).toHaveText("Live", { timeout: 30_000 });
  await expect(row(pageB, `Offline Otto ${tag}`)).toContainText(`While you were away ${tag}`);
  await expect(row(pageB, `Offline Olga ${tag}`)).toContainText(`Second while away ${tag}`);
  // And live again afterwards.
  await inbound(`Back online ${tag}`, `Returning Rosa ${tag}`);
  await expect(row(pageB, `Returning Rosa ${tag}`)).toContainText(`Back online ${tag}`);
  expect(loadsB, "no reload on instance B").toEqual([]);
  await pageB.screenshot({ path: "test-results/screenshots/realtime-after-reconnect.png" });
});
