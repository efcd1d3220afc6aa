// Read-path benchmark: chat list pages, a 50-message thread page and search, on a large generated
// data set in a real PostgreSQL (BENCH_DATABASE_URL: a server where we may CREATE DATABASE; else an
// in-memory PGlite with a smaller default set). Prints JSON. Usage:
//   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/reads.bench.ts --chats 100000 --messages 1000000
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { chats: { type: "string" }, messages: { type: "string" }, iterations: { type: "string", default: "30" } },
});
const server = process.env.BENCH_DATABASE_URL;
if (server) process.env.TEST_DATABASE_URL = server;
else delete process.env.TEST_DATABASE_URL;
const CHATS = Number(values.chats ?? (server ? 100_000 : 20_000));
const MESSAGES = Number(values.messages ?? (server ? 1_000_000 : 200_000));
const LONG = 20_000; // one very long thread on top
const ITER = Number(values.iterations);

const { setupTestDatabase } = await import("../test/support/db.ts");
const { db } = await import("../src/server/db.ts");
const { createUser } = await import("../src/server/services/user-service.ts");
const { listChats } = await import("../src/server/services/chat-service.ts");
const { listMessages } = await import("../src/server/services/message-service.ts");
const { assertChatAccess } = await import("../src/server/access.ts");
const { searchMessages } = await import("../src/server/services/search-service.ts");

const testDb = await setupTestDatabase();
const t0 = performance.now();
const WORDS = ["meeting", "budget", "invoice", "tomorrow", "climbing", "contract", "shipping", "thanks", "weekend", "report", "proposal", "call", "lunch", "deadline", "photos"];
await db.$executeRawUnsafe(
  `INSERT INTO "Account" (id, provider, name, "updatedAt") SELECT 'acc' || i, (ARRAY['LINKEDIN','WHATSAPP','INSTAGRAM','TELEGRAM','MESSENGER'])[i + 1], 'Account ' || i, now() FROM generate_series(0, 4) i`,
);
await db.$executeRawUnsafe(
  `INSERT INTO "Chat" (id, "unipileId", "accountId", type, name, "lastMessageAt", "lastMessagePreview", "unreadCount", "updatedAt")
   SELECT 'c' || i, 'uc' || i, 'acc' || (i % 5), (CASE WHEN i % 7 = 0 THEN 'group' ELSE 'single' END)::"ChatType", 'Chat ' || i,
          now() - (i || ' minutes')::interval, 'preview ' || i, (CASE WHEN i % 9 = 0 THEN 2 ELSE 0 END), now()
   FROM generate_series(1, ${CHATS}) i`,
);
const words = `(ARRAY[${WORDS.map((w) => `'${w}'`).join(",")}])`;
const text = (j: string) =>
  `${words}[1 + (${j} * 7) % ${WORDS.length}] || ' ' || ${words}[1 + (${j} * 13) % ${WORDS.length}] || ' ' || substr(md5(${j}::text), 1, 12) || ' ' || ${words}[1 + (${j} * 3) % ${WORDS.length}]`;
await db.$executeRawUnsafe(
  `INSERT INTO "Message" (id, "unipileId", "chatId", text, "sentAt", "isSender", status, "updatedAt")
   SELECT 'm' || j, 'um' || j, 'c' || (1 + j % ${CHATS}), ${text("j")}, now() - (j || ' seconds')::interval, j % 2 = 0, 'sent', now()
   FROM generate_series(1, ${MESSAGES}) j`,
);
await db.$executeRawUnsafe(
  `INSERT INTO "Message" (id, "unipileId", "chatId", text, "sentAt", "isSender", status, "updatedAt")
   SELECT 'l' || j, 'ul' || j, 'c1', ${text("j")}, now() - (j || ' seconds')::interval, j % 2 = 0, 'sent', now()
   FROM generate_series(1, ${LONG}) j`,
);
// A few pinned chats (apps allow a handful per account) and some archived ones: every list walks the
// pinned part, then the rest, and leaves archived chats to the Archived view.
await db.$executeRawUnsafe(`UPDATE "Chat" SET pinned = true WHERE substr(id, 2)::int % 2000 = 0`);
await db.$executeRawUnsafe(`UPDATE "Chat" SET archived = true WHERE substr(id, 2)::int % 13 = 0`);
await db.$executeRawUnsafe(`ANALYZE`);
const generateMs = Math.round(performance.now() - t0);

const a = await createUser({ email: "bench-admin@example.com", password: "password-1", role: "admin" });
const g = await createUser({ email: "bench-agent@example.com", password: "password-2", role: "agent", accountIds: ["acc1", "acc3"] });
const admin = { id: a.id, email: a.email, name: null, role: "admin" as const };
const agent = { id: g.id, email: g.email, name: null, role: "agent" as const };
// Team work: a third of the chats are the admin's, a third the agent's, the rest unassigned; one in
// ten done, one in ten snoozed (due tomorrow).
await db.$executeRawUnsafe(
  `UPDATE "Chat" SET
     "assigneeId" = (CASE substr(id, 2)::int % 3 WHEN 0 THEN $1 WHEN 1 THEN $2 END),
     "workState" = (CASE substr(id, 2)::int % 10 WHEN 0 THEN 'done' WHEN 1 THEN 'snoozed' ELSE 'open' END)::"WorkState",
     "snoozedUntil" = (CASE WHEN substr(id, 2)::int % 10 = 1 THEN now() + interval '1 day' END)`,
  a.id,
  g.id,
);
await db.$executeRawUnsafe(`ANALYZE "Chat"`);

async function measure(name: string, fn: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < ITER; i++) {
    const s = performance.now();
    await fn();
    times.push(performance.now() - s);
  }
  times.sort((x, y) => x - y);
  const pick = (p: number) => Number(times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2));
  return { name, p50: pick(0.5), p95: pick(0.95), max: pick(1) };
}

const firstPage = await listChats(admin, { limit: 50 });
let deep = firstPage.nextCursor;
for (let i = 0; i < 20 && deep; i++) deep = (await listChats(admin, { limit: 50, cursor: deep })).nextCursor;
// As message.list does: the grant check, then the page.
const thread = async (input: Omit<Parameters<typeof listMessages>[1], "limit">) => listMessages(await assertChatAccess(admin, "c1"), { limit: 50, ...input });
const latest = await thread({});
let older = latest.older;
for (let i = 0; i < 100 && older; i++) older = (await thread({ before: older })).older;
const anchor = await db.message.findFirstOrThrow({ where: { chatId: "c1", id: "l10000" }, select: { id: true } });

/** The first page of every team view: Mine, Unassigned and All, each in Open, Snoozed and Done. */
async function teamViews() {
  const out = [];
  for (const [view, assignee] of [["Mine", "me"], ["Unassigned", "none"], ["All", undefined]] as const) {
    for (const state of ["open", "snoozed", "done"] as const) {
      out.push(await measure(`team view: ${view} × ${state}, first page (admin)`, () => listChats(admin, { limit: 50, state, ...(assignee ? { assignee } : {}) })));
    }
  }
  out.push(await measure("team view: Mine × open, first page (agent, 2 accounts)", () => listChats(agent, { limit: 50, state: "open", assignee: "me" })));
  return out;
}

const results = [
  await measure("chat list: first page of 50 (admin, all accounts)", () => listChats(admin, { limit: 50 })),
  await measure("chat list: page 21 of 50 (cursor)", () => listChats(admin, { limit: 50, cursor: deep })),
  await measure("chat list: agent (2 accounts), unread only, 1:1", () => listChats(agent, { limit: 50, unreadOnly: true, kind: "single" })),
  await measure("chat list: provider filter", () => listChats(admin, { limit: 50, provider: "TELEGRAM" })),
  await measure("chat list: one account", () => listChats(admin, { limit: 50, accountId: "acc2" })),
  await measure("chat list: Archived view", () => listChats(admin, { limit: 50, archived: true })),
  ...(await teamViews()),
  await measure("thread: latest 50 of a 20k-message chat", () => thread({})),
  await measure("thread: 50 older, 5,000 messages back", () => thread({ before: older })),
  await measure("thread: window around a message", () => thread({ anchorId: anchor.id })),
  await measure("search: common word (30 hits, ranked)", () => searchMessages(admin, { query: "deadline", limit: 30 })),
  await measure("search: fragment inside a word", () => searchMessages(admin, { query: "eadlin", limit: 30 })),
  await measure("search: rare token (md5 fragment)", () => searchMessages(admin, { query: "c4ca4238a0b9", limit: 30 })),
  await measure("search: agent, 2 accounts", () => searchMessages(agent, { query: "invoice", limit: 30 })),
];

console.log(
  JSON.stringify(
    {
      benchmark: "reads",
      database: server ? "postgresql" : "pglite (in-memory)",
      dataset: { chats: CHATS, messages: MESSAGES + LONG, longThread: LONG },
      generateMs,
      iterations: ITER,
      unit: "ms",
      results,
    },
    null,
    2,
  ),
);
await testDb.close();
process.exit(0);
