// Webhook intake and realtime push, over real HTTP:
//  1. ingest: a recorded-style stream of mixed events (test/support/webhook-stream.ts)
//     delivered 3× duplicated and shuffled by 16 concurrent senders to the real route handler;
//     deliveries acknowledged per second, ack latency p50/p99, and the time until all are applied;
//  2. push: an inbound message webhook POSTed → the message.upserted event read from a subscribed
//     tRPC SSE stream (realtime.chatList); latency p50/p95.
// The embedded PGlite lives in another process (as under `npm start`); BENCH_DATABASE_URL (a server
// where we may CREATE DATABASE) measures a real PostgreSQL, where the push goes through LISTEN/NOTIFY.
// The senders run in a worker thread (webhook-sender.mjs), as Unipile sends from elsewhere: their
// HTTP client does not share the app's event loop. Prints one JSON object.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { createInterface } from "node:readline";
import { Worker } from "node:worker_threads";
import { createDatabaseOn } from "../test/support/db.ts";
import { peakRssMb } from "./app.ts";

const quick = process.argv.includes("--quick"); // the small profile of `npm run bench -- --quick`
const CHATS = Number(process.env.BENCH_WEBHOOK_CHATS ?? (quick ? 20 : 60));
const SENDERS = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 16);
const PUSHES = Number(process.env.BENCH_PUSHES ?? (quick ? 50 : 200));
const SECRET = "bench-webhook-secret-0123456789";
const server = process.env.BENCH_DATABASE_URL;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : NaN;
};
const ms = (x: number) => Number(x.toFixed(2));

type SendJob = { url: string; secret: string; deliveries: string[]; senders: number };
type SendResult = { acks: number[]; bad: number; seconds: number };

if (process.argv.includes("--services")) {
  const { startEmbeddedPostgres } = await import("../src/server/embedded-db.ts");
  const embedded = await startEmbeddedPostgres();
  console.log(JSON.stringify({ dbUrl: embedded.url }));
  process.stdin.resume();
  process.stdin.on("end", async () => {
    await embedded.close();
    process.exit(0);
  });
} else {
  let child: ReturnType<typeof spawn> | null = null;
  let dbUrl: string;
  let drop = async () => {};
  if (server) {
    ({ url: dbUrl, drop } = await createDatabaseOn(server, "parley_bench"));
  } else {
    child = spawn(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname, "--services"], {
      stdio: ["pipe", "pipe", "inherit"],
      env: process.env,
    });
    dbUrl = await new Promise<string>((resolve, reject) => {
      child!.once("exit", (code) => reject(new Error(`services exited with ${code}`)));
      createInterface({ input: child!.stdout! }).on("line", (line) => {
        if (line.startsWith("{")) resolve((JSON.parse(line) as { dbUrl: string }).dbUrl);
      });
    });
  }

  const { applyMigrations } = await import("../src/server/migrations.ts");
  await applyMigrations(dbUrl);
  Object.assign(process.env, {
    DATABASE_URL: dbUrl,
    PARLEY_EMBEDDED_DB: server ? "0" : "1",
    AUTH_SECRET: process.env.AUTH_SECRET ?? "bench-secret-bench-secret-bench",
    UNIPILE_WEBHOOK_SECRET: SECRET,
    PARLEY_WORKERS: "0",
  });
  const { db, disconnectDb } = await import("../src/server/db.ts");
  const { POST } = await import("../src/app/api/webhooks/unipile/route.ts");
  const { drainApplyQueue } = await import("../src/server/webhooks/apply.ts");
  const { buildStream, seedStreamChats, shuffled } = await import("../test/support/webhook-stream.ts");
  const { fetchRequestHandler } = await import("@trpc/server/adapters/fetch");
  const { appRouter } = await import("../src/server/api/root.ts");
  const { createContext } = await import("../src/server/api/trpc.ts");
  const { stopListening } = await import("../src/server/realtime/fanout.ts");

  // The app side: the webhook route and tRPC (SSE) behind one HTTP server, as Next.js serves them.
  // A real user row: open streams re-check their user every few seconds and end for one that does not exist.
  const admin = { id: "bench-admin", email: "bench@parley.local", name: null, role: "admin" as const };
  await db.user.create({ data: { id: admin.id, email: admin.email, role: admin.role, passwordHash: "-" } });
  const http: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers,
      body: req.method === "POST" ? Buffer.concat(chunks) : undefined,
    });
    const response = req.url?.startsWith("/api/trpc/")
      ? await fetchRequestHandler({ endpoint: "/api/trpc", req: request, router: appRouter, createContext: () => createContext(admin) })
      : await POST(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return res.end();
    const body = response.body.getReader();
    for (let r = await body.read(); !r.done; r = await body.read()) res.write(r.value);
    res.end();
  });
  http.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const deliver = (body: string) =>
    fetch(`${base}/api/webhooks/unipile`, { method: "POST", headers: { "X-Webhook-Secret": SECRET, "Content-Type": "application/json" }, body });

  // ---- 1. ingest under 3× duplicate + shuffled delivery ----
  const chats = await seedStreamChats(CHATS);
  const stream = buildStream(chats, 6);
  const deliveries = shuffled([...stream, ...stream, ...stream], 42).map((e) => JSON.stringify(e));
  const load = loadavg()[0]!;
  const started = performance.now();
  const { acks, bad, seconds: ackSeconds } = await new Promise<SendResult>((resolve, reject) => {
    const job: SendJob = { url: `${base}/api/webhooks/unipile`, secret: SECRET, deliveries, senders: SENDERS };
    const sender = new Worker(new URL("./webhook-sender.mjs", import.meta.url), { workerData: job });
    sender.once("message", resolve);
    sender.once("error", reject);
  });
  await drainApplyQueue();
  const appliedSeconds = (performance.now() - started) / 1000;
  // Peak RSS so far: this process is the app here (route handlers, apply queue; the senders' worker
  // thread too), the child the launcher's part (the embedded PGlite) when there is one.
  const memory = {
    what: "peak RSS (VmHWM) after the ingest: app = this process (route + apply; includes the sender thread), launcher = the PGlite process",
    appPeakRssMb: peakRssMb(process.pid),
    launcherPeakRssMb: child?.pid ? peakRssMb(child.pid) : null,
  };
  const statuses = Object.fromEntries(
    (await db.webhookEvent.groupBy({ by: ["status"], _count: true })).map((g) => [g.status, g._count]),
  ) as Record<string, number>;

  // ---- 2. webhook → SSE subscriber ----
  const ac = new AbortController();
  const sse = await fetch(`${base}/api/trpc/realtime.chatList?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`, {
    headers: { accept: "text/event-stream" },
    signal: ac.signal,
  });
  const reader = sse.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const waiters: ((at: number) => void)[] = [];
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += value;
        for (let cut = buffer.indexOf("\n\n"); cut >= 0; cut = buffer.indexOf("\n\n")) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (frame.includes('"message.upserted"')) waiters.shift()?.(performance.now());
        }
      }
    } catch {}
  })();
  await new Promise((r) => setTimeout(r, 300)); // connected and listening
  const chat = chats[0]!;
  const pushes: number[] = [];
  for (let i = 0; i < PUSHES; i++) {
    const event = {
      event: "message_received",
      account_id: "acc_stream_wa",
      account_type: "WHATSAPP",
      chat_id: chat.unipileId,
      message_id: `bench_push_${i}`,
      timestamp: new Date(Date.UTC(2025, 11, 1, 0, 0, i)).toISOString(),
      message: `Push ${i}`,
      sender: chat.members[0],
      attendees: chat.members,
      attachments: [],
      is_sender: false,
    };
    const arrived = new Promise<number>((resolve) => waiters.push(resolve));
    const t0 = performance.now();
    const res = await deliver(JSON.stringify(event));
    await res.arrayBuffer();
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(NaN), 5_000));
    const at = await Promise.race([arrived, timeout]);
    if (Number.isNaN(at)) waiters.shift();
    pushes.push(at - t0);
    await new Promise((r) => setTimeout(r, 5));
  }
  ac.abort();
  const received = pushes.filter((x) => !Number.isNaN(x));

  console.log(
    JSON.stringify({
      bench: "webhooks",
      database: server ? "postgresql (push through LISTEN/NOTIFY)" : "pglite (embedded, other process; in-process push)",
      ingest: {
        what: `deliveries acknowledged per second, 3× duplicated + shuffled, ${SENDERS} concurrent senders in a worker thread, over HTTP`,
        uniqueEvents: stream.length,
        deliveries: deliveries.length,
        non200: bad,
        eventsPerSecond: Math.round(deliveries.length / ackSeconds),
        targetEventsPerSecond: 2000,
        ackP50Ms: ms(quantile(acks, 0.5)),
        ackP99Ms: ms(quantile(acks, 0.99)),
        targetAckP99Ms: 20,
        allAppliedSeconds: Number(appliedSeconds.toFixed(2)),
        statuses,
      },
      memory,
      push: {
        what: "webhook POST sent → message.upserted read from a subscribed realtime.chatList SSE stream",
        samples: pushes.length,
        lost: pushes.length - received.length,
        p50Ms: ms(quantile(received, 0.5)),
        p95Ms: ms(quantile(received, 0.95)),
        targetP95Ms: 100,
      },
      loadAverageAtStart: Number(load.toFixed(2)),
    }),
  );
  await stopListening();
  http.closeAllConnections();
  http.close();
  await disconnectDb();
  await drop();
  child?.stdin?.end();
  if (child) await new Promise((r) => child!.once("exit", r));
  process.exit(0);
}
