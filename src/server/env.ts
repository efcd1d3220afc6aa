// Every environment variable Parley reads, validated once. Import `env` instead of touching process.env.
// The launcher and the scripts call checkEnv() before starting anything, so a bad value stops them with
// one line per variable instead of a server that answers 500.
import { z } from "zod";
import { DEFAULTS } from "./env-defaults.mjs";
import { parseDsn } from "./unipile/dsn.ts";

// Each field's error message says what is expected; checkEnv() adds the name and what is wrong.
const flag = (fallback: "0" | "1") =>
  z
    .enum(["0", "1", "true", "false"], { error: "0 or 1 (or false/true)" })
    .default(fallback)
    .transform((v) => v === "1" || v === "true");
const wholeNumber = (min: number, max: number, expected: string) =>
  z.coerce
    .number({ error: expected })
    .int({ error: expected })
    .min(min, { error: expected })
    .max(max, { error: expected });
const port = (fallback: number, min = 1) =>
  wholeNumber(min, 65535, `a TCP port from ${min}${min === 0 ? " (any free port)" : ""} to 65535`).default(fallback);
const secret = z.string().min(16, { error: "at least 16 characters, e.g. the output of openssl rand -hex 24" });

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"], { error: "development, production or test" }).default("development"),
  PORT: port(DEFAULTS.PORT),
  /** The Unipile simulator's port when UNIPILE_DSN is unset (launcher). */
  SIMULATOR_PORT: port(DEFAULTS.SIMULATOR_PORT),
  /** The embedded PostgreSQL's port (launcher); 0 picks a free one. */
  PGLITE_PORT: port(0, 0),
  /** Where the embedded database and generated secrets live. */
  PARLEY_DATA_DIR: z.string().default(DEFAULTS.PARLEY_DATA_DIR),
  /** Seed the demo admin on a real database too. */
  PARLEY_SEED_DEMO: flag("0"),
  /** PostgreSQL connection string. The launcher sets it to the embedded PGlite when unset. */
  DATABASE_URL: z
    .string({ error: "a PostgreSQL URL such as postgresql://user:password@host:5432/parley" })
    .regex(/^postgres(ql)?:\/\/\S+$/, { error: "a PostgreSQL URL such as postgresql://user:password@host:5432/parley" }),
  /** Set by the launcher when DATABASE_URL points at the embedded PGlite: one connection, in-process realtime. */
  PARLEY_EMBEDDED_DB: flag("0"),
  /**
   * A PostgreSQL streaming replica of DATABASE_URL for the chat list, threads and search (db-read.ts).
   * Unset: every read goes to DATABASE_URL. Ignored on the embedded PGlite.
   */
  DATABASE_REPLICA_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, { error: "a PostgreSQL URL such as postgresql://user:password@replica:5432/parley" })
    .optional(),
  /** A replica further behind the primary than this many seconds is left out until it catches up. */
  DATABASE_REPLICA_MAX_LAG_S: wholeNumber(1, 3600, "a whole number of seconds from 1 to 3600").default(10),
  /** Max connections of the app's Prisma pool (forced to 1 on PGlite). */
  DATABASE_POOL_MAX: wholeNumber(1, 1000, "a whole number of connections from 1 to 1000").default(DEFAULTS.DATABASE_POOL_MAX),
  UNIPILE_DSN: z
    .string()
    .refine(isDsn, { error: "host:port (e.g. api8.unipile.com:13851) or an http(s) URL" })
    .optional(),
  UNIPILE_API_KEY: z.string().optional(),
  /** Value of the X-Webhook-Secret header Unipile sends back with every webhook. */
  UNIPILE_WEBHOOK_SECRET: secret.optional(),
  /** Public base URL Unipile can reach (webhooks are registered at PUBLIC_URL/api/webhooks/unipile). */
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: "an http(s) URL where Unipile reaches this app, e.g. https://inbox.example.com" }).optional(),
  /**
   * Comma-separated Unipile account ids this Parley serves (default: every account on the DSN). On a
   * workspace shared with other apps, sync, webhook registration and intake keep to these.
   */
  UNIPILE_ACCOUNT_IDS: z
    .string()
    .regex(/^\s*[^,\s]+(\s*,\s*[^,\s]+)*\s*,?\s*$/, { error: "comma-separated Unipile account ids, e.g. acc_1,acc_2" })
    .transform((v) => [...new Set(v.split(",").map((id) => id.trim()).filter(Boolean))])
    .optional(),
  /** Seconds between sweeps for what changed upstream (dropped webhooks, chat state); 0 turns them off. */
  SYNC_SWEEP_INTERVAL_S: wholeNumber(0, 86_400, "a whole number of seconds from 0 (off) to 86400").default(120),
  AUTH_SECRET: secret,
  /** Run sync and webhook workers in this process (default on). */
  PARLEY_WORKERS: flag("1"),
  /** Sync on start (default on). */
  PARLEY_SYNC_ON_START: flag("1"),
  /** How many messages of history to fetch for a chat seen the first time (0 = all). */
  SYNC_HISTORY_DEPTH: wholeNumber(0, Number.MAX_SAFE_INTEGER, "a whole number of messages, 0 for all").default(0),
  /** Most bytes the files of one send may add up to. */
  UPLOAD_MAX_BYTES: wholeNumber(1, Number.MAX_SAFE_INTEGER, "a whole number of bytes, at least 1").default(DEFAULTS.UPLOAD_MAX_BYTES),
  /** Most files one send may carry. */
  UPLOAD_MAX_FILES: wholeNumber(1, 1000, "a whole number of files from 1 to 1000").default(DEFAULTS.UPLOAD_MAX_FILES),
  /** MIME types and .extensions refused as attachments, comma-separated (a single comma refuses none). */
  UPLOAD_BLOCKED_TYPES: z
    .string()
    .default(DEFAULTS.UPLOAD_BLOCKED_TYPES)
    .transform((v) => v.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean)),
  /** Sends with files handled at once; more wait their turn, so parallel uploads hold bounded memory. */
  UPLOAD_CONCURRENCY: wholeNumber(1, 100, "a whole number of sends from 1 to 100").default(DEFAULTS.UPLOAD_CONCURRENCY),
  /**
   * Most bytes of attachments and profile pictures kept in the database (src/server/attachments); the least
   * recently viewed go first beyond it. 0 turns the local copies off (every view asks Unipile).
   */
  ATTACHMENT_CACHE_MAX_BYTES: wholeNumber(0, Number.MAX_SAFE_INTEGER, "a whole number of bytes, 0 for no cache").default(1024 * 1024 * 1024),
  /** Files larger than this are streamed from Unipile on every view and never kept. */
  ATTACHMENT_CACHE_MAX_FILE_BYTES: wholeNumber(1, Number.MAX_SAFE_INTEGER, "a whole number of bytes, at least 1").default(16 * 1024 * 1024),
  /** Attachments of messages arriving by webhook that were sent within this many hours are fetched ahead of any view; 0 turns that off. */
  ATTACHMENT_PREFETCH_HOURS: wholeNumber(0, 24 * 365, "a whole number of hours from 0 (off) to 8760").default(72),
  /** Reverse proxies in front of Parley that set X-Forwarded-For (0: trust no such header). */
  TRUSTED_PROXY_HOPS: wholeNumber(0, 10, "a whole number of proxy hops from 0 to 10").default(0),
  /** Days the audit log keeps its events. */
  /** Bearer token that /api/metrics asks for; unset, the metrics route answers 404. */
  METRICS_TOKEN: secret.optional(),
  /** `text` (readable, default) or `json` (one JSON object a line, for log collectors). */
  LOG_FORMAT: z.enum(["text", "json"], { error: "text or json" }).default("text"),
  /** Lines below this level are dropped. */
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"], { error: "debug, info, warn or error" }).default("info"),
  AUDIT_RETENTION_DAYS: wholeNumber(1, 36500, "a whole number of days, at least 1").default(180),
});

export type Env = z.infer<typeof schema>;
type Name = keyof typeof schema.shape;

/** The client's own rule (parseDsn), so what passes here is what the client accepts. */
function isDsn(v: string): boolean {
  try {
    parseDsn(v);
    return true;
  } catch {
    return false;
  }
}

// Values of these never appear in a message, only their length.
const SECRETS = new Set<string>(["METRICS_TOKEN", "AUTH_SECRET", "UNIPILE_WEBHOOK_SECRET", "UNIPILE_API_KEY", "DATABASE_URL", "DATABASE_REPLICA_URL"]);

function describeValue(name: string, value: string | undefined): string {
  if (value === undefined) return "is not set";
  if (SECRETS.has(name)) return `is ${value.length} character${value.length === 1 ? "" : "s"} long`;
  return `is "${value}"`;
}

/** An empty variable (`PORT=`) means unset, as it does for the launcher. */
function setOnly(vars: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""));
}

export type EnvCheck = { ok: true; env: Env } | { ok: false; issues: string[] };

function issueLines(error: z.ZodError, values: Record<string, string>): string[] {
  const lines = new Map<string, string>();
  for (const issue of error.issues) {
    const name = String(issue.path[0]);
    if (!lines.has(name)) lines.set(name, `${name} ${describeValue(name, values[name])}: expected ${issue.message}`);
  }
  return [...lines.values()];
}

/**
 * Validates without throwing: one line per bad variable ("AUTH_SECRET is 5 characters long: expected at least
 * 16 characters…"). `provided` names required variables the caller fills in itself (the launcher: the database
 * URL and the session secret), which may then be unset.
 */
export function checkEnv(vars: Record<string, string | undefined> = process.env, provided: Name[] = []): EnvCheck {
  const mask = Object.fromEntries(provided.map((n) => [n, true])) as { [K in Name]?: true };
  const values = setOnly(vars);
  const parsed = schema.partial(mask).safeParse(values);
  return parsed.success ? { ok: true, env: parsed.data as Env } : { ok: false, issues: issueLines(parsed.error, values) };
}

/** For the launcher and the scripts: prints the issues and exits 1 when the environment is invalid. */
export function checkEnvOrExit(what: string, provided: Name[] = []): Env {
  const result = checkEnv(process.env, provided);
  if (result.ok) return result.env;
  console.error(`${what}: fix ${result.issues.length === 1 ? "this setting" : "these settings"} (in .env or the environment):`);
  for (const line of result.issues) console.error(`  ${line}`);
  process.exit(1);
}

/**
 * Unipile's settings, read when asked rather than once: the launcher and tests point them at a simulator
 * after the rest of the environment was read.
 */
export function unipileConfig(): { dsn?: string; apiKey?: string } {
  const values = setOnly(process.env);
  const parsed = schema.pick({ UNIPILE_DSN: true, UNIPILE_API_KEY: true }).safeParse(values);
  if (!parsed.success) throw new Error(`Invalid environment: ${issueLines(parsed.error, values).join("; ")}`);
  return { dsn: parsed.data.UNIPILE_DSN, apiKey: parsed.data.UNIPILE_API_KEY };
}

/**
 * The logger's settings, read alone so logging works before (and while) the rest is checked. A bad value
 * falls back to the default here; checkEnv() reports it at start-up.
 */
export function logConfig(): { format: Env["LOG_FORMAT"]; level: Env["LOG_LEVEL"] } {
  const values = setOnly(process.env);
  const format = schema.shape.LOG_FORMAT.safeParse(values.LOG_FORMAT);
  const level = schema.shape.LOG_LEVEL.safeParse(values.LOG_LEVEL);
  return { format: format.success ? format.data : "text", level: level.success ? level.data : "info" };
}

function load(): Env {
  const result = checkEnv();
  if (!result.ok) throw new Error(`Invalid environment:\n${result.issues.map((l) => `  ${l}`).join("\n")}`);
  return result.env;
}

let cached: Env | undefined;
/** Parsed lazily so that `next build` and unit tests need no database configuration. */
export const env: Env = new Proxy({} as Env, {
  get(_t, key: string) {
    cached ??= load();
    return cached[key as keyof Env];
  },
});

/** Whether Parley serves this Unipile account (UNIPILE_ACCOUNT_IDS; unset: every account). */
export function accountInScope(accountId: string): boolean {
  const ids = env.UNIPILE_ACCOUNT_IDS;
  return !ids || ids.includes(accountId);
}

/** For tests that change process.env between cases. */
export function resetEnvForTests() {
  cached = undefined;
}
