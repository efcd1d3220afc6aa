// On start: make sure Unipile will call us. Lists the webhooks, keeps ours when they already point at
// PUBLIC_URL with the current secret, every event and the wanted accounts, creates what is missing,
// replaces stale ones (a rotated secret, a missing event, other account_ids): the new hook is created
// before the stale one is deleted. Running it twice changes nothing the second time.
import { db } from "../db.ts";
import { env } from "../env.ts";
import { getUnipile, type UnipileClient } from "../unipile/client.ts";
import { MESSAGING_EVENTS, type Webhook } from "../unipile/schemas.ts";

/** Every account-status event, lowercase (REFERENCE.md §3.1). */
export const ACCOUNT_STATUS_EVENTS = [
  "creation_success",
  "creation_fail",
  "deleted",
  "reconnected",
  "sync_success",
  "stopped",
  "ok",
  "connecting",
  "error",
  "credentials",
  "permissions",
] as const;

const WEBHOOK_NAME = "parley";
const WEBHOOK_PATH = "/api/webhooks/unipile";

/** `accountIds`: limit the hooks to these accounts (default: UNIPILE_ACCOUNT_IDS, else every account on the DSN). */
export type RegistrationOptions = { client?: UnipileClient; publicUrl?: string; secret?: string; accountIds?: string[] };
export type RegistrationResult = { url: string; kept: string[]; created: string[]; removed: string[] };

function webhookUrl(publicUrl: string): string {
  return new URL(WEBHOOK_PATH, publicUrl.endsWith("/") ? publicUrl : `${publicUrl}/`).toString();
}

export async function ensureWebhooksRegistered(
  opts: RegistrationOptions = {},
): Promise<RegistrationResult> {
  // Instances starting together would each find nothing and each create the hooks: on a shared
  // server they take turns under an advisory lock (embedded mode has one process, and one connection).
  if (env.PARLEY_EMBEDDED_DB) return register(opts);
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('parley.webhooks.register'))`;
      return register(opts);
    },
    { maxWait: 60_000, timeout: 120_000 },
  );
}

async function register(opts: RegistrationOptions): Promise<RegistrationResult> {
  const client = opts.client ?? getUnipile();
  const publicUrl = opts.publicUrl ?? env.PUBLIC_URL;
  const secret = opts.secret ?? env.UNIPILE_WEBHOOK_SECRET;
  if (!publicUrl || !secret) throw new Error("PUBLIC_URL and UNIPILE_WEBHOOK_SECRET are needed to register webhooks");
  const url = webhookUrl(publicUrl);
  const headers = [
    { key: "X-Webhook-Secret", value: secret },
    { key: "Content-Type", value: "application/json" },
  ];

  const existing: Webhook[] = [];
  let cursor: string | null = null;
  do {
    const page = await client.listWebhooks({ limit: 100, cursor });
    existing.push(...page.items);
    cursor = page.cursor ?? null;
  } while (cursor);
  const ours = existing.filter((w) => sameUrl(w.request_url, url));

  const wanted = [
    { source: "messaging", events: [...MESSAGING_EVENTS] as string[] },
    // Listed in full: without `events` Unipile leaves out ok, connecting and stopped.
    { source: "account_status", events: [...ACCOUNT_STATUS_EVENTS] as string[] },
  ];
  const accountIds = opts.accountIds ?? env.UNIPILE_ACCOUNT_IDS ?? [];
  const result: RegistrationResult = { url, kept: [], created: [], removed: [] };
  for (const want of wanted) {
    const mine = ours.filter((w) => (w.source ?? "messaging") === want.source);
    const good = mine.find((w) => isCurrent(w, secret, want.events, accountIds));
    if (good) result.kept.push(good.id);
    else {
      // The new hook first, then the stale ones go: no delivery falls between the two.
      const created = await client.createWebhook({
        request_url: url,
        source: want.source,
        name: WEBHOOK_NAME,
        format: "json",
        headers,
        events: want.events,
        ...(accountIds.length ? { account_ids: accountIds } : {}),
      });
      result.created.push(created.webhook_id);
    }
    for (const stale of mine.filter((w) => w !== good)) {
      await client.deleteWebhook(stale.id);
      result.removed.push(stale.id);
    }
  }
  return result;
}

function sameUrl(a: string, b: string) {
  return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}

/**
 * Unipile may omit headers in its list: only evidence of a mismatch makes a hook stale. A hook
 * listed without events has Unipile's defaults, which miss some we want, so it is stale.
 */
function isCurrent(w: Webhook, secret: string, events: string[], accountIds: string[]): boolean {
  if (w.enabled === false) return false;
  if (w.headers) {
    const h = w.headers.find((x) => x.key.toLowerCase() === "x-webhook-secret");
    if (!h || h.value !== secret) return false;
  }
  const listed = (w.events ?? []).map((e) => e.toLowerCase());
  if (!events.every((e) => listed.includes(e))) return false;
  const covered = (w.account_ids ?? []).map((a) => (typeof a === "string" ? a : (a as { id?: unknown })?.id)).filter((id): id is string => typeof id === "string");
  return covered.length === accountIds.length && accountIds.every((id) => covered.includes(id));
}
