// Crash test: a process acknowledges a batch of webhooks and is killed (SIGKILL) the moment the last
// 200 arrives, before it could apply them; a restarted process applies every acknowledged event.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { messagePayload } from "../../../simulator/webhooks.ts";
import { type Simulator, startSimulator } from "../../../simulator/server.ts";

const SECRET = "whsec-crash-test-0123456789";
const root = path.resolve(import.meta.dirname, "../../..");
let testDb: TestDatabase;
let sim: Simulator;
const children: ChildProcess[] = [];

beforeAll(async () => {
  testDb = await setupTestDatabase();
  sim = await startSimulator({ port: 0, seed: 7 });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await sim?.close();
  await testDb?.close();
});

function child(mode: "serve" | "worker"): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, ["--import", "tsx", "test/support/crash-child.ts", mode], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: testDb.url,
      PARLEY_EMBEDDED_DB: testDb.embedded ? "1" : "0",
      UNIPILE_DSN: sim.url,
      UNIPILE_API_KEY: sim.apiKey,
      UNIPILE_WEBHOOK_SECRET: SECRET,
      AUTH_SECRET: "crash-test-secret-crash-test-secret",
      NODE_ENV: "production",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(proc);
  return new Promise((resolve, reject) => {
    proc.once("exit", (code) => reject(new Error(`child ${mode} exited with ${code}`)));
    proc.stdout!.on("data", (d: Buffer) => {
      const text = d.toString();
      const port = /port=(\d+)/.exec(text);
      if (port) resolve({ proc, port: Number(port[1]) });
      else if (text.includes("worker started")) resolve({ proc, port: 0 });
    });
  });
}

it("applies every acknowledged event after the process died right after answering", async () => {
  // Messages of chats we have never seen: applying each needs the chat fetched from Unipile, which
  // answers slowly, so the process is still busy when it is killed.
  const chats = [...sim.store.chats.values()].slice(0, 6);
  const messages = chats.flatMap((c) => sim.store.messagesOf(c).slice(-8));
  const events = messages.map((m) => messagePayload(sim.store, "message_received", m));
  sim.faults.latencyMs = 250;

  const { proc, port } = await child("serve");
  const acked: string[] = [];
  // Eight deliveries at a time, as Unipile's retries and bursts would; each is answered 200 only
  // after its row is committed.
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < events.length) {
        const body = JSON.stringify(events[next++]);
        const res = await fetch(`http://127.0.0.1:${port}/api/webhooks/unipile`, {
          method: "POST",
          headers: { "X-Webhook-Secret": SECRET, "Content-Type": "application/json" },
          body,
        });
        expect(res.status).toBe(200);
        acked.push(((await res.json()) as { id: string }).id);
      }
    }),
  );
  proc.kill("SIGKILL");
  await new Promise((r) => proc.once("exit", r));

  expect(acked).toHaveLength(events.length);
  const logged = await db.webhookEvent.findMany({ where: { id: { in: acked.map(BigInt) } }, select: { status: true } });
  expect(logged).toHaveLength(events.length);
  // The kill really interrupted work: some acknowledged events were not applied yet.
  const unapplied = logged.filter((r) => r.status === "received").length;
  expect(unapplied).toBeGreaterThan(0);

  sim.faults.latencyMs = 0;
  await new Promise((r) => setTimeout(r, 300)); // the dead process's connection is released
  const restarted = await child("worker");
  const deadline = Date.now() + 45_000;
  let pending = Infinity;
  while (Date.now() < deadline) {
    pending = await db.webhookEvent.count({ where: { status: { notIn: ["applied", "duplicate"] } } });
    if (pending === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  restarted.proc.kill("SIGKILL");
  expect(await db.webhookEvent.findMany({ where: { status: { notIn: ["applied", "duplicate"] } }, select: { id: true, status: true, error: true } })).toEqual([]);
  const stored = await db.message.findMany({ where: { unipileId: { in: messages.map((m) => m.id) } }, select: { unipileId: true } });
  expect(stored.map((s) => s.unipileId).sort()).toEqual(messages.map((m) => m.id).sort());
  expect(await db.chat.count({ where: { unipileId: { in: chats.map((c) => c.id) } } })).toBe(chats.length);
});
