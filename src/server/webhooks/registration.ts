// On start: make sure Unipile will call us. Lists the webhooks, keeps ours when they already point at
// PUBLIC_URL with the current secret and every event, creates what is missing, replaces stale ones
// (a rotated secret or a missing event). Running it twice changes nothing the second time.
import { db } from "../db.ts";
import { env } from "../env.ts";
import { getUnipile, type UnipileClient } from "../unipile/client.ts";
import { MESSAGING_EVENTS, type Webhook } from "../unipile/schemas.ts";

export const WEBHOOK_NAME = "parley";
export const WEBHOOK_PATH = "/api/webhooks/unipile";

export type RegistrationResult = { url: string; kept: string[]; created: string[]; removed: string[] };

export function webhookUrl(publicUrl: string): string {
  return new URL(WEBHOOK_PATH, publicUrl.endsWith("/") ? publicUrl : `${publicUrl}/`).toString();
}

export async function ensureWebhooksRegistered(
  opts: { client?: UnipileClient; publicUrl?: string; secret?: string } = {},
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

async function register(opts: { client?: UnipileClient; publicUrl?: string; secret?: string }): Promise<RegistrationResult> {
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
    { source: "account_status", events: undefined },
  ];
  const result: RegistrationResult = { url, kept: [], created: [], removed: [] };
  for (const want of wanted) {
    const mine = ours.filter((w) => (w.source ?? "messaging") === want.source);
    const good = mine.find((w) => isCurrent(w, secret, want.events));
    for (const stale of mine.filter((w) => w !== good)) {
      await client.deleteWebhook(stale.id);
      result.removed.push(stale.id);
    }
    if (good) {
      result.kept.push(good.id);
      continue;
    }
    const created = await client.createWebhook({
      request_url: url,
      source: want.source,
      name: WEBHOOK_NAME,
      format: "json",
      headers,
      ...(want.events ? { events: want.events } : {}),
    });
    result.created.push(created.webhook_id);
  }
  return result;
}

function sameUrl(a: string, b: string) {
  return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}

/** Unipile may omit headers/events in its list: only evidence of a mismatch makes a hook stale. */
function isCurrent(w: Webhook, secret: string, events: string[] | undefined): boolean {
  if (w.enabled === false) return false;
  if (w.headers) {
    const h = w.headers.find((x) => x.key.toLowerCase() === "x-webhook-secret");
    if (!h || h.value !== secret) return false;
  }
  if (events && w.events && !events.every((e) => w.events!.includes(e))) return false;
  return true;
}
