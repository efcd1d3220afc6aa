// Every environment variable Parley reads, validated once. Import `env` instead of touching process.env.
import { z } from "zod";

const bool = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().positive().default(3000),
  /** PostgreSQL connection string. The launcher sets it to the embedded PGlite when unset. */
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required (the launcher sets it in embedded mode)"),
  /** Set by the launcher when DATABASE_URL points at the embedded PGlite: one connection, in-process realtime. */
  PARLEY_EMBEDDED_DB: bool,
  /** Max connections of the app's Prisma pool (forced to 1 on PGlite). */
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(10),
  UNIPILE_DSN: z.string().optional(),
  UNIPILE_API_KEY: z.string().optional(),
  /** Value of the X-Webhook-Secret header Unipile sends back with every webhook. */
  UNIPILE_WEBHOOK_SECRET: z.string().min(16, "UNIPILE_WEBHOOK_SECRET must be at least 16 characters").optional(),
  /** Public base URL Unipile can reach (webhooks are registered at PUBLIC_URL/api/webhooks/unipile). */
  PUBLIC_URL: z.url().optional(),
  AUTH_SECRET: z.string().min(16, "AUTH_SECRET must be at least 16 characters"),
  /** Run sync and webhook workers in this process (default on). */
  PARLEY_WORKERS: z
    .enum(["0", "1", "true", "false"])
    .default("1")
    .transform((v) => v === "1" || v === "true"),
  /** Sync on start (default on). */
  PARLEY_SYNC_ON_START: z
    .enum(["0", "1", "true", "false"])
    .default("1")
    .transform((v) => v === "1" || v === "true"),
  /** How many messages of history to fetch for a chat seen the first time (0 = all). */
  SYNC_HISTORY_DEPTH: z.coerce.number().int().min(0).default(0),
  /** Largest attachment a user may upload, in bytes. */
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(15 * 1024 * 1024),
  /** Reverse proxies in front of Parley that set X-Forwarded-For (0: trust no such header). */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Days the audit log keeps its events. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().positive().default(180),
});

export type Env = z.infer<typeof schema>;

function load(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

let cached: Env | undefined;
/** Parsed lazily so that `next build` and unit tests need no database configuration. */
export const env: Env = new Proxy({} as Env, {
  get(_t, key: string) {
    cached ??= load();
    return cached[key as keyof Env];
  },
});

/** For tests that change process.env between cases. */
export function resetEnvForTests() {
  cached = undefined;
}
