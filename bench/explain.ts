// EXPLAIN (ANALYZE, BUFFERS) of every statement a read issues, on the bench data set: where a read's
// time goes inside PostgreSQL. `npx tsx bench/explain.ts [--quick] <read>` with <read> one of
// list, team, thread, window, search:<query>, all:<query>. Prints each statement, its plan and its time.
import pg from "pg";
import { openBenchDataset } from "./dataset.ts";
import { captureSql } from "./three-ways.ts";

const what = process.argv.slice(2).find((a) => !a.startsWith("-")) ?? "list";
const { server, dataset, admin } = await openBenchDataset();
const { disconnectDb } = await import("../src/server/db.ts");
const { listChats } = await import("../src/server/services/chat-service.ts");
const { listMessages } = await import("../src/server/services/message-service.ts");
const { assertChatAccess } = await import("../src/server/access.ts");
const search = await import("../src/server/services/search-service.ts");

const reads: Record<string, () => Promise<unknown>> = {
  list: () => listChats(admin, { limit: 50 }),
  team: () => listChats(admin, { limit: 50, state: "open", assignee: "none" }),
  thread: async () => listMessages(await assertChatAccess(admin, "c2"), { limit: 50 }),
  window: async () => listMessages(await assertChatAccess(admin, "c2"), { limit: 50, anchorId: "l10000" }),
};
const [kind, query] = what.split(/:(.*)/s);
const read =
  kind === "search" ? () => search.searchMessages(admin, { query: query!, limit: 30 }) : kind === "all" ? () => search.searchEverything(admin, { query: query!, limit: 30 }) : reads[what];
if (!read) throw new Error(`unknown read ${what}`);
await read(); // warm
const batches = await captureSql(read);
const pool = new pg.Pool({ connectionString: dataset.url, max: 1 });
let total = 0;
for (const [i, s] of batches.flat().entries()) {
  const { rows } = await pool.query({ text: `EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, values: s.values });
  const plan = rows.map((r) => r["QUERY PLAN"] as string);
  const ms = Number(/Execution Time: ([\d.]+)/.exec(plan.at(-1) ?? "")?.[1] ?? 0);
  total += ms;
  console.log(`\n-- [${i}] ${ms} ms: ${s.text.replace(/\s+/g, " ").slice(0, 300)}`);
  console.log(plan.join("\n"));
}
console.log(`\n-- ${batches.flat().length} statements, ${total.toFixed(2)} ms of execution in all`);
await pool.end();
await disconnectDb();
await server.stop();
process.exit(0);
