// Read paths, each three ways on one generated PostgreSQL data set (bench/three-ways.ts): the service,
// the app's real /api/trpc over HTTP, and the service's own SQL replayed raw with pg. Chat list
// pages, the team views, thread pages and each search class. Prints one JSON object.
//   npx tsx bench/reads.bench.ts [--quick] [--chats N --messages N …] [--iterations N]
//   BENCH_DATABASE_URL: a server where we may CREATE DATABASE; else bench/postgres.ts starts one.
//   BENCH_ONLY=<regular expression>: only the reads whose names match it.
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import pg from "pg";
import { appMemory, sessionCookie, startApp } from "./app.ts";
import { log, openBenchDataset } from "./dataset.ts";
import { captureSql, handlerTimes, ratio, replay, type Stats, stats, timeWays, trpcGet } from "./three-ways.ts";
import { MARKERS } from "../test/support/bench-data.ts";

const { profile, params, iterations, server, dataset, admin, agent } = await openBenchDataset();
const { disconnectDb } = await import("../src/server/db.ts");
const { listChats } = await import("../src/server/services/chat-service.ts");
const { listMessages } = await import("../src/server/services/message-service.ts");
const { assertChatAccess } = await import("../src/server/access.ts");
const search = await import("../src/server/services/search-service.ts");

let app: Awaited<ReturnType<typeof startApp>> | null = null;
let appError: string | null = null;
try {
  app = await startApp(dataset.url, log);
} catch (e) {
  appError = e instanceof Error ? e.message : String(e);
  log(`bench: no HTTP figures: ${appError}`);
}
const cookies = app
  ? {
      [admin.id]: await sessionCookie(dataset.url, admin.id, app.secret),
      [agent.id]: await sessionCookie(dataset.url, agent.id, app.secret),
    }
  : {};
const rawPool = new pg.Pool({ connectionString: dataset.url, max: 4 });

type Case = { name: string; user: typeof admin; proc: string; input: Record<string, unknown>; service: () => Promise<unknown> };
type Result = { name: string; rows: number | null; statements: number; service: Stats; http: Stats | null; raw: Stats } & Record<
  string,
  unknown
>;

/** How many rows a read returned: list items, search hits (every group of a one-box search), suggestions. */
const rowsOf = (r: unknown): number | null => {
  if (Array.isArray(r)) return r.length;
  const o = r as Record<string, unknown> | null;
  if (!o) return null;
  if (Array.isArray(o.items)) return o.items.length;
  if (Array.isArray(o.hits)) return o.hits.length;
  const groups = Object.values(o).map((g) => rowsOf(g) ?? 0);
  return groups.length ? groups.reduce((x, y) => x + y, 0) : null;
};

async function run(c: Case): Promise<Result> {
  const batches = await captureSql(c.service);
  // BENCH_SHOW_SQL=1: the statements each read issues, to stderr (where ORM round trips show).
  if (process.env.BENCH_SHOW_SQL)
    for (const [i, b] of batches.entries()) for (const s of b) log(`  [${i}] ${s.text.replace(/\s+/g, " ").slice(0, 400)}`);
  // BENCH_EXPLAIN=1: EXPLAIN (ANALYZE, BUFFERS) of each of them, to stderr (the database's own share of a read).
  if (process.env.BENCH_EXPLAIN) {
    for (const s of batches.flat()) {
      const { rows } = await rawPool.query<{ "QUERY PLAN": string }>({
        text: `EXPLAIN (ANALYZE, BUFFERS) ${s.text}`,
        values: s.values,
      });
      log(`bench reads: ${c.name}: EXPLAIN (ANALYZE, BUFFERS)\n${rows.map((r) => `    ${r["QUERY PLAN"]}`).join("\n")}`);
    }
  }
  const result = await c.service();
  const cookie = cookies[c.user.id];
  handlerTimes.length = 0;
  const { rounds, stats: t } = await timeWays(
    {
      service: c.service,
      http: app && cookie ? () => trpcGet(app!.url, cookie, c.proc, c.input) : null,
      raw: () => replay(rawPool, batches),
    },
    // A read of seconds (some searches at 3M messages) stops after three rounds, so the full run stays within the hour.
    { iterations, minIterations: Math.min(3, iterations), budgetMs: 30_000 },
  );
  const out: Result = {
    name: c.name,
    rows: rowsOf(result),
    iterations: rounds,
    statements: batches.flat().length,
    roundTrips: batches.length,
    service: t.service!,
    http: t.http ?? null,
    // Inside the route handler (Server-Timing), warm-up included: the rest of http is Next.js and the socket.
    httpHandler: handlerTimes.length ? stats(handlerTimes) : null,
    raw: t.raw!,
    serviceOverRaw: ratio(t.service, t.raw),
    httpOverRaw: ratio(t.http, t.raw),
    serviceOverRawP95: t.service && t.raw ? Number((t.service.p95 / t.raw.p95).toFixed(2)) : null,
    httpMinusServiceP50Ms: t.http ? Number((t.http.p50 - t.service!.p50).toFixed(2)) : null,
  };
  out.meetsTarget = meetsTarget(c.name, out);
  log(
    `bench reads: ${c.name}: service p50 ${out.service.p50} ms, http ${out.http?.p50 ?? "-"}, raw ${out.raw.p50} (${out.statements} statements)`,
  );
  return out;
}

// The issue's targets (2 cores, real PostgreSQL): list and thread p95 ≤ 10 ms and ≤ 1.5× raw SQL,
// search p95 ≤ 50 ms, and the HTTP path adds ≤ 3 ms at p50.
const TARGETS = {
  listAndThread: "service p95 ≤ 10 ms and ≤ 1.5× raw p95; HTTP p50 ≤ service p50 + 3 ms",
  search: "service p95 ≤ 50 ms; HTTP p50 ≤ service p50 + 3 ms",
};
function meetsTarget(name: string, r: Result): boolean {
  const http = r.http ? r.http.p50 <= r.service.p50 + 3 : true;
  if (name.startsWith("search")) return r.service.p95 <= 50 && http;
  return r.service.p95 <= 10 && r.service.p95 <= 1.5 * r.raw.p95 && http;
}

const list = (name: string, user: typeof admin, input: Parameters<typeof listChats>[1]): Case => ({
  name,
  user,
  proc: "chat.list",
  input,
  service: () => listChats(user, input),
});
// As message.list does: the grant check (chatProcedure), then the page.
const thread = (
  name: string,
  chatId: string,
  input: { cursor?: { dir: "older"; at: { sentAt: Date; id: string } }; anchorId?: string },
): Case => ({
  name,
  user: admin,
  proc: "message.list",
  input: { chatId, limit: 50, ...input },
  service: async () =>
    listMessages(await assertChatAccess(admin, chatId), {
      limit: 50,
      before: input.cursor?.at ?? null,
      anchorId: input.anchorId ?? null,
    }),
});

// Cursors: page 21 of the list; 5,000 messages back in the long thread (or as far as it goes).
let deep = (await listChats(admin, { limit: 50 })).nextCursor;
for (let i = 0; i < 20 && deep; i++) deep = (await listChats(admin, { limit: 50, cursor: deep })).nextCursor;
const LONG = "c2";
let older = (await listMessages(await assertChatAccess(admin, LONG), { limit: 50 })).older;
for (let i = 0; i < Math.min(100, params.longThread / 50 - 2) && older; i++) {
  older = (await listMessages(await assertChatAccess(admin, LONG), { limit: 50, before: older })).older;
}

const cases: Case[] = [
  list("chat list: first page of 50 (admin, all accounts)", admin, { limit: 50 }),
  list("chat list: page 21 (deep cursor)", admin, { limit: 50, cursor: deep }),
  list("chat list: agent (2 accounts), unread 1:1 chats", agent, { limit: 50, unreadOnly: true, kind: "single" }),
  list("chat list: provider filter", admin, { limit: 50, provider: "TELEGRAM" }),
  list("chat list: Archived view", admin, { limit: 50, archived: true }),
];
for (const [view, assignee] of [
  ["Mine", "me"],
  ["Unassigned", "none"],
  ["All", undefined],
] as const) {
  for (const state of ["open", "snoozed", "done"] as const) {
    cases.push(list(`team view: ${view} × ${state}`, admin, { limit: 50, state, ...(assignee ? { assignee } : {}) }));
  }
}
cases.push(list("team view: Mine × open (agent)", agent, { limit: 50, state: "open", assignee: "me" }));
cases.push(thread(`thread: latest 50 of a ${params.longThread.toLocaleString("en")}-message chat`, LONG, {}));
if (older) cases.push(thread("thread: 50 older, deep in the chat", LONG, { cursor: { dir: "older", at: older } }));
cases.push(thread("thread: window around a message", LONG, { anchorId: `l${Math.floor(params.longThread / 2)}` }));

// Search: each class the search service offers at the time. The one-box search (people, chats,
// messages, files: searchEverything / search.all), operators (the query parser src/lib/search-query.ts)
// and operator suggestions are measured where they exist, else listed as "absent".
type SearchFn = (u: typeof admin, i: Record<string, unknown>) => Promise<Record<string, unknown>>;
const fns = search as unknown as Record<string, SearchFn | undefined>;
const everything = fns.searchEverything;
const suggestions = fns.searchSuggestions;
const probe = everything ? await everything(admin, { query: MARKERS.person, limit: 30 }) : {};
const hasGroup = (key: string) => Array.isArray(probe[key]);
const hasOperators = existsSync(path.resolve(import.meta.dirname, "../src/lib/search-query.ts"));
const absent: string[] = [];
const searchCase = (
  cls: string,
  present: boolean,
  proc: string,
  fn: SearchFn | undefined,
  input: Record<string, unknown>,
  user = admin,
) => {
  if (!present || !fn) absent.push(`search: ${cls}`);
  else
    cases.push({
      name: `search: ${cls} (${String(input.query ?? input.prefix)})`,
      user,
      proc,
      input,
      service: () => fn(user, input),
    });
};
const messages = (cls: string, query: string, present = true, user = admin) =>
  searchCase(cls, present, "search.messages", fns.searchMessages, { query, limit: 30 }, user);
messages("common word", MARKERS.commonWord);
messages("phrase", `"${MARKERS.phrase}"`);
messages("fragment inside a word", MARKERS.fragment);
messages("rare token", MARKERS.rareToken(5000), params.messages > 5000);
messages("Arabic substring", "الاجتماع");
messages("Hebrew word", "הפגישה");
messages("CJK two characters", "会议");
messages("agent, 2 accounts", "invoice", true, agent);
const all = (cls: string, query: string, present: boolean) =>
  searchCase(cls, present, "search.all", everything, { query, limit: 30 });
all("one box, all groups, common word", MARKERS.commonWord, !!everything);
all("people", MARKERS.person, hasGroup("people"));
all("chat names", "Launch crew", hasGroup("chats"));
all("files", MARKERS.file, hasGroup("files"));
messages("operator from:", `from:${MARKERS.person} meeting`, hasOperators);
messages("operator in:", "in:Launch contract", hasOperators);
messages("operator app:", "app:telegram invoice", hasOperators);
messages("operator has:attachment", "has:attachment invoice", hasOperators);
messages("operator has:image", "has:image photos", hasOperators);
messages("operator is:unread", "is:unread meeting", hasOperators);
messages("operator before:/after:", "after:2020-01-01 before:2099-01-01 contract", hasOperators);
messages("operator -word", "meeting -tomorrow", hasOperators);
searchCase("operator suggestions (from:)", !!suggestions, "search.suggest", suggestions, { key: "from", prefix: "Ma" });

// BENCH_ONLY=<regular expression>: only the reads whose name matches (e.g. "^(chat list|team view|thread)").
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
if (only) cases.splice(0, cases.length, ...cases.filter((c) => only.test(c.name)));

const load = loadavg()[0]!;
const results: (Result | { name: string; error: string })[] = [];
for (const c of cases) {
  // On this shared machine something may stop the app mid-run: start it again rather than lose the HTTP figures.
  if (app && !app.alive()) {
    log("bench reads: the app stopped; starting it again");
    try {
      app = await startApp(dataset.url, log);
    } catch (e) {
      appError = `the app stopped mid-run and did not start again: ${e}`;
      app = null;
    }
  }
  try {
    results.push(await run(c));
  } catch (e) {
    results.push({ name: c.name, error: e instanceof Error ? e.message.slice(0, 400) : String(e) });
    log(`bench reads: ${c.name} failed: ${e}`);
  }
}
const memory = app ? appMemory(app.pid) : null;

console.log(
  JSON.stringify(
    {
      bench: "reads",
      database: server.own ? "postgresql (bench/postgres.ts, .data/bench-pg)" : "postgresql (BENCH_DATABASE_URL)",
      profile,
      dataset: { name: dataset.name, ...params, reused: dataset.reused, generateSeconds: dataset.generateSeconds },
      iterations: { target: iterations, fewerWhenAReadTakesOver: "30 s (at least 3 rounds)" },
      unit: "ms",
      ways: {
        service: "the service function in this process (Prisma over adapter-pg)",
        http: "GET /api/trpc/<proc>?batch=1 on the running app (npm start's launcher, next start) with a session cookie",
        raw: "the statements the service issued, captured at the pg driver and replayed with node-postgres",
      },
      targets: TARGETS,
      httpError: appError,
      results,
      absent,
      memoryDuringReadsAndSearch: { ...memory, benchProcessPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) },
      loadAverageAtStart: Number(load.toFixed(2)),
    },
    null,
    2,
  ),
);
await rawPool.end();
await app?.stop();
await disconnectDb();
await server.stop();
process.exit(0);
