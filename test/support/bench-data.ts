// The benchmark data set: chats, messages with realistic text (lengths from a word to a paragraph;
// English, French with accents, German, Spanish, Portuguese, Russian, Arabic, Hebrew, Chinese, Japanese;
// names, URLs, e-mail addresses, emoji), attachments with real-looking file names, people with phone
// numbers, in a PostgreSQL database generated with set-based SQL (generate_series, indexes dropped and
// rebuilt around the bulk inserts). One database per parameter set and migration version
// ("parley_bench_<profile>_<hash>" of the parameters and the migrations), kept on the server and reused by later runs; a database whose
// generation did not finish (no _bench_dataset row) is generated again.
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { applyMigrations } from "@/server/migrations.ts";
import { databaseUrl, withClient } from "./db.ts";

export type BenchParams = { chats: number; messages: number; attachments: number; people: number; longThread: number };

export const PROFILES = {
  full: { chats: 100_000, messages: 3_000_000, attachments: 1_000_000, people: 200_000, longThread: 20_000 },
  quick: { chats: 5_000, messages: 100_000, attachments: 33_000, people: 10_000, longThread: 5_000 },
} satisfies Record<string, BenchParams>;

/** Bumped whenever the generator's output changes, so stored data sets are regenerated. */
const GENERATOR_VERSION = 1;
export const ACCOUNTS = ["WHATSAPP", "LINKEDIN", "INSTAGRAM", "TELEGRAM", "MESSENGER"] as const;
export const BENCH_USERS = {
  admin: { email: "bench-admin@example.com", password: "bench-password-1" },
  agent: { email: "bench-agent@example.com", password: "bench-password-2", accountIds: ["acc1", "acc3"] },
};

/** Words and phrases the search cases look for; each appears in the text as described. */
export const MARKERS = {
  commonWord: "meeting", // in about one message in eight
  phrase: "quarterly budget review", // one message in 400
  fragment: "eadlin", // inside "deadline"
  person: "Maya", // a first name of one person in 24
  file: "route-topo", // one attachment in 60
  /** A token found in exactly one message: `ref-<md5 prefix>` on every 50th message; this is the one of message 5000. */
  rareToken: (n: number) => `ref-${createHash("md5").update(String(n)).digest("hex").slice(0, 10)}`,
};

/** Every migration's name: one merged with an older timestamp than the latest changes the data set too. */
function migrations(): string[] {
  const dir = path.resolve(import.meta.dirname, "../../prisma/migrations");
  return readdirSync(dir).filter((d) => /^\d/.test(d)).sort();
}

export function datasetName(profile: string, p: BenchParams): string {
  const hash = createHash("sha1").update(JSON.stringify({ p, migrations: migrations(), v: GENERATOR_VERSION })).digest("hex").slice(0, 10);
  return `parley_bench_${profile.replace(/\W/g, "")}_${hash}`;
}

const lit = (xs: readonly string[]) => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(",")}]`;
// A pseudo-random non-negative int from a row number and a salt (stable across runs).
const h = (expr: string, salt: number) => `(hashint4((${expr})::int # ${salt}) & 2147483647)`;
const pick = (arr: string, n: number, expr: string, salt: number) => `(${arr})[1 + ${h(expr, salt)} % ${n}]`;

const FIRST = ["Maya", "Léa", "João", "Zoë", "Amir", "Noa", "Yuki", "Wei", "Olga", "Carlos", "Fatima", "Chloé", "Ahmed", "Ingrid", "Priya", "Tomás", "محمد", "فاطمة", "דוד", "נועה", "王芳", "李娜", "さくら", "Дмитрий"];
const LAST = ["Lima", "Müller", "García", "Dubois", "Cohen", "Tanaka", "Chen", "Ivanova", "Silva", "Haddad", "Nakamura", "O'Brien", "Rossi", "Kowalski", "Johansson", "Øster", "العلي", "לוי", "张", "佐藤"];
const PHRASES = [
  "can we move the meeting to tomorrow?", "thanks, see you at the meeting", "the invoice is attached", "deadline is Friday",
  "sending the contract now", "let's grab lunch next week", "the shipping label is ready", "did you get my photos?",
  "I will call you after the standup", "the report needs one more review", "proposal v3 looks good to me", "happy birthday!!",
  "on se voit à la réunion de mercredi ?", "merci pour le café, c'était très sympa", "die Besprechung ist um 10 Uhr", "schönes Wochenende",
  "¿podemos hablar mañana por la mañana?", "a reunião foi adiada para sexta", "встреча перенесена на завтра", "спасибо за отчёт",
  "هل يمكننا تأجيل الاجتماع إلى الغد؟", "شكرا على التقرير", "הפגישה נדחתה למחר", "תודה על הדוח", "明天的会议改到下午三点",
  "报告已经发给你了", "会議は明日の十時からです", "ありがとうございます、確認します", "👍", "🎉🎉", "ok 👌", "sounds good 🙂",
];
const TAILS = ["", "", "", " 🙏", " 😂", "!", "…", " 🚀", " ❤️", "?"];
const FILES = ["route-topo", "invoice-2025-03", "IMG_4821", "contract-final-v2", "Договор", "设计稿", "会議資料", "رسم", "screenshot", "budget-q3", "CV-Maya-Lima", "voice-note"];
const EXT = [["pdf", "application/pdf", "file"], ["jpg", "image/jpeg", "img"], ["png", "image/png", "img"], ["docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "file"], ["mp4", "video/mp4", "video"], ["ogg", "audio/ogg", "audio"]] as const;
const GROUPS = ["Launch crew", "Équipe produit", "Family", "Climbing club", "فريق المبيعات", "צוות פיתוח", "项目组", "Board", "Support"];
const SUBJECTS = ["Partnership idea", "Opportunity at Acme", "Quick question about your post", "Speaking invitation"];

/** The SQL that fills a freshly migrated database (indexes are dropped before and rebuilt after by the caller). */
function fillSql(p: BenchParams, base: string): string[] {
  const per = Math.floor(p.people / ACCOUNTS.length);
  // Person k (0..3) of chat c: a person of the chat's account (people of account a have id % 5 = a).
  const person = (c: string, k: number | string) => `((((${c}) * 7919 + (${k}) * 31) % ${per}) * 5 + (${c}) % 5)`;
  const first = lit(FIRST);
  const last = lit(LAST);
  // A message: one to four phrases, sometimes a name, a URL, an e-mail address or a marker; one in 25 a long paragraph.
  const phrase = (j: string, salt: number) => pick(lit(PHRASES), PHRASES.length, j, salt);
  const text = (expr: string) => {
    const j = `(${expr})`;
    return `(
    ${phrase(j, 1)}
    || CASE WHEN ${h(j, 2)} % 3 = 0 THEN ' ' || ${phrase(j, 3)} ELSE '' END
    || CASE WHEN ${h(j, 4)} % 5 = 0 THEN ' ' || ${phrase(j, 5)} || ' ' || ${phrase(j, 6)} ELSE '' END
    || CASE WHEN ${h(j, 7)} % 7 = 0 THEN ' @' || ${pick(first, FIRST.length, j, 8)} ELSE '' END
    || CASE WHEN ${h(j, 9)} % 11 = 0 THEN ' https://example.com/d/' || substr(md5(${j}::text), 1, 8) ELSE '' END
    || CASE WHEN ${h(j, 10)} % 29 = 0 THEN ' write to ' || lower(${pick(lit(FIRST.slice(0, 16)), 16, j, 11)}) || '@example.org' ELSE '' END
    || CASE WHEN ${j} % 400 = 7 THEN ' before the ${MARKERS.phrase} on Monday' ELSE '' END
    || CASE WHEN ${j} % 50 = 0 THEN ' ref-' || substr(md5(${j}::text), 1, 10) ELSE '' END
    || CASE WHEN ${h(j, 12)} % 25 = 0 THEN ' ' || repeat(${phrase(j, 13)} || ' ', 6 + ${h(j, 14)} % 10) ELSE '' END
    || ${pick(lit(TAILS), TAILS.length, j, 15)})`;
  };
  const C = p.chats;
  return [
    `INSERT INTO "Account" (id, provider, name, "updatedAt")
     SELECT 'acc' || i, (${lit(ACCOUNTS)})[i + 1], initcap(lower((${lit(ACCOUNTS)})[i + 1])) || ' team', now() FROM generate_series(0, 4) i`,
    `INSERT INTO "Attendee" (id, "accountId", "providerId", "unipileId", name, "phoneNumber", "profileUrl", "isSelf", "updatedAt")
     SELECT 'p' || i, 'acc' || (i % 5), 'prov' || i, 'uatt' || i,
            ${pick(first, FIRST.length, "i", 21)} || ' ' || ${pick(last, LAST.length, "i", 22)},
            CASE WHEN i % 5 = 0 THEN '4915' || lpad((${h("i", 23)} % 100000000)::text, 8, '0') END,
            CASE WHEN i % 5 = 1 THEN 'https://www.linkedin.com/in/person-' || i END, false, now()
     FROM generate_series(0, ${p.people - 1}) i`,
    `INSERT INTO "Attendee" (id, "accountId", "providerId", name, "isSelf", "updatedAt")
     SELECT 'self' || i, 'acc' || i, 'me' || i, 'Me', true, now() FROM generate_series(0, 4) i`,
    // Chat c's newest message is message c - 1 (message j belongs to chat 1 + j % C and is j seconds old).
    `INSERT INTO "Chat" (id, "unipileId", "accountId", type, name, "attendeeProviderId", "lastMessageAt", "lastMessagePreview", "unreadCount", raw, "updatedAt")
     SELECT 'c' || i, 'uc' || i, 'acc' || (i % 5), (CASE WHEN i % 7 = 0 THEN 'group' ELSE 'single' END)::"ChatType",
            CASE WHEN i % 7 = 0 THEN ${pick(lit(GROUPS), GROUPS.length, "i", 31)} || ' ' || i END,
            CASE WHEN i % 7 <> 0 THEN 'prov' || ${person("i", 0)} END,
            '${base}'::timestamptz - ((i - 1) || ' seconds')::interval, left(${text("i - 1")}, 120),
            CASE WHEN i % 9 = 0 THEN 1 + i % 4 ELSE 0 END,
            CASE WHEN i % 5 = 1 AND i % 3 = 0 THEN jsonb_build_object('subject', ${pick(lit(SUBJECTS), SUBJECTS.length, "i", 32)}) END, now()
     FROM generate_series(1, ${C}) i`,
    `INSERT INTO "ChatMember" ("chatId", "attendeeId") SELECT 'c' || i, 'self' || (i % 5) FROM generate_series(1, ${C}) i`,
    `INSERT INTO "ChatMember" ("chatId", "attendeeId")
     SELECT 'c' || i, 'p' || ${person("i", "k")} FROM generate_series(1, ${C}) i, generate_series(0, 3) k WHERE k = 0 OR i % 7 = 0`,
    `INSERT INTO "Message" (id, "unipileId", "chatId", "senderId", "senderProviderId", text, "sentAt", "isSender", status, "updatedAt")
     SELECT 'm' || j, 'um' || j, 'c' || (1 + j % ${C}),
            CASE WHEN ${h("j", 41)} % 3 = 0 THEN 'self' || ((1 + j % ${C}) % 5) ELSE 'p' || ${person(`1 + j % ${C}`, `CASE WHEN (1 + j % ${C}) % 7 = 0 THEN j % 4 ELSE 0 END`)} END,
            CASE WHEN ${h("j", 41)} % 3 = 0 THEN 'me' || ((1 + j % ${C}) % 5) ELSE 'prov' || ${person(`1 + j % ${C}`, `CASE WHEN (1 + j % ${C}) % 7 = 0 THEN j % 4 ELSE 0 END`)} END,
            ${text("j")}, '${base}'::timestamptz - (j || ' seconds')::interval, ${h("j", 41)} % 3 = 0, 'sent', now()
     FROM generate_series(0, ${p.messages - 1}) j`,
    // One long thread on top, in chat c2 (a 1:1 chat), older than its ordinary messages.
    `INSERT INTO "Message" (id, "unipileId", "chatId", "senderProviderId", text, "sentAt", "isSender", status, "updatedAt")
     SELECT 'l' || j, 'ul' || j, 'c2', 'prov' || ${person("2", 0)}, ${text("j + 7")},
            '${base}'::timestamptz - interval '400 days' + (j || ' seconds')::interval, j % 2 = 0, 'sent', now()
     FROM generate_series(1, ${p.longThread}) j`,
    // Attachments on every third message.
    `INSERT INTO "Attachment" (id, "messageId", "unipileId", kind, "mimeType", size, name, width, height)
     SELECT 'f' || k, 'm' || (k * 3), 'ua' || k, e.kind, e.mime, 1000 + ${h("k", 51)} % 5000000,
            ${pick(lit(FILES), FILES.length, "k", 52)} || CASE WHEN k % 60 = 0 THEN '-${MARKERS.file}' ELSE '' END || '-' || k || '.' || e.ext,
            CASE WHEN e.kind = 'img' THEN 1280 END, CASE WHEN e.kind = 'img' THEN 960 END
     FROM generate_series(0, ${Math.min(p.attachments, Math.floor((p.messages - 1) / 3) + 1) - 1}) k
     CROSS JOIN LATERAL (SELECT (${lit(EXT.map((e) => e[0]))})[1 + k % ${EXT.length}] AS ext,
                                (${lit(EXT.map((e) => e[1]))})[1 + k % ${EXT.length}] AS mime,
                                (${lit(EXT.map((e) => e[2]))})[1 + k % ${EXT.length}] AS kind) e`,
    `UPDATE "Chat" SET pinned = true WHERE substr(id, 2)::int % 2000 = 0`,
    `UPDATE "Chat" SET archived = true WHERE substr(id, 2)::int % 13 = 0`,
  ];
}

/** Team work: a third of the chats the admin's, a third the agent's; one in ten done, one in ten snoozed (for a year). */
const teamSql = `UPDATE "Chat" SET
  "assigneeId" = (CASE substr(id, 2)::int % 3 WHEN 0 THEN $1 WHEN 1 THEN $2 END),
  "workState" = (CASE substr(id, 2)::int % 10 WHEN 0 THEN 'done' WHEN 1 THEN 'snoozed' ELSE 'open' END)::"WorkState",
  "doneAt" = (CASE WHEN substr(id, 2)::int % 10 = 0 THEN now() END),
  "snoozedUntil" = (CASE WHEN substr(id, 2)::int % 10 = 1 THEN now() + interval '365 days' END)`;

export type BenchDataset = { url: string; name: string; reused: boolean; generateSeconds: number; params: BenchParams };

/** Fills the migrated, empty database at `url` with the data set for `params`, and marks it finished. */
export async function fillBenchData(
  url: string,
  params: BenchParams,
  createUsers: (url: string) => Promise<{ adminId: string; agentId: string }>,
  log: (line: string) => void = () => {},
): Promise<void> {
  await withClient(url, async (c) => {
    await c.query(`SET maintenance_work_mem = '512MB'`);
    // Bulk inserts into index-free tables, then one build per index: many times faster than row-by-row upkeep.
    const indexes = await c.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
       WHERE i.schemaname = 'public' AND i.tablename IN ('Chat', 'Message', 'Attachment', 'Attendee', 'ChatMember')
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`,
    );
    for (const ix of indexes.rows) await c.query(`DROP INDEX "${ix.name}"`);
    const base = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000).toISOString();
    for (const sql of fillSql(params, base)) {
      const t = performance.now();
      await c.query(sql);
      log(`bench data: ${sql.trim().split("\n")[0]!.slice(0, 60)}… ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    const t = performance.now();
    for (const ix of indexes.rows) await c.query(ix.def);
    log(`bench data: ${indexes.rows.length} indexes rebuilt in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  });
  const users = await createUsers(url);
  await withClient(url, async (c) => {
    await c.query(teamSql, [users.adminId, users.agentId]);
    await c.query(`VACUUM ANALYZE`);
    await c.query(`CREATE TABLE _bench_dataset (params jsonb NOT NULL, "generatedAt" timestamptz NOT NULL DEFAULT now())`);
    await c.query(`INSERT INTO _bench_dataset (params) VALUES ($1)`, [JSON.stringify(params)]);
  });
}

/**
 * The data set for `params` on `server` (…/postgres of a server where we may CREATE DATABASE):
 * reused when a finished one exists, else generated (replacing this profile's older data sets).
 * `createUsers` makes the admin and the agent through the app's own user service.
 */
export async function ensureBenchDataset(
  server: string,
  profile: string,
  params: BenchParams,
  createUsers: (url: string) => Promise<{ adminId: string; agentId: string }>,
  log: (line: string) => void = () => {},
): Promise<BenchDataset> {
  const name = datasetName(profile, params);
  const url = databaseUrl(server, name);
  const existing = await withClient(server, async (c) => {
    const rows = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`parley_bench_${profile}_%`]);
    return rows.rows.map((r) => r.datname);
  });
  if (existing.includes(name)) {
    const done = await withClient(url, (c) =>
      c.query(`SELECT 1 FROM pg_tables WHERE tablename = '_bench_dataset'`).then(async (r) => r.rowCount && (await c.query(`SELECT 1 FROM _bench_dataset`)).rowCount),
    );
    if (done) {
      await applyMigrations(url); // nothing to apply (the name holds every migration), but checked
      return { url, name, reused: true, generateSeconds: 0, params };
    }
  }
  await withClient(server, async (c) => {
    for (const old of existing) await c.query(`DROP DATABASE IF EXISTS "${old}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  });
  const started = performance.now();
  log(`bench data: generating ${name} (${JSON.stringify(params)})…`);
  await applyMigrations(url);
  await fillBenchData(url, params, createUsers, log);
  const generateSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
  log(`bench data: ${name} ready in ${generateSeconds} s`);
  return { url, name, reused: false, generateSeconds, params };
}
