// The identity of a webhook delivery (Unipile has no event ids), written and read here only:
// ingest.ts stores it in the log's unique dedupeClaim, message-reaction.ts reads removals back.
import { createHash } from "node:crypto";
import type { MessagingWebhook, ParsedWebhook } from "../unipile/webhook-schemas.ts";

const hash = (s: string) => createHash("sha256").update(s).digest("base64url").slice(0, 22);
/**
 * The key itself when short, else its hash: the key goes into a unique index, whose entries PostgreSQL
 * limits to ~2.7 kB, and a group's read_by list can be long. Short keys (all of today's) stay as they are.
 */
const bounded = (key: string) => (Buffer.byteLength(key) <= 600 ? key : `#${hash(key)}`);

/**
 * Content-derived identity of a delivery: a retry of the same event yields the same key, a genuinely
 * new event a new one. Null when the payload cannot tell a retry from a new event (account status
 * transitions): those are applied idempotently instead.
 */
export function dedupeKeyOf(p: ParsedWebhook, raw: string): string | null {
  if (p.kind === "account_status") return null;
  if (p.kind === "unknown_event") return `${p.event}:${hash(raw)}`;
  const base = bounded(`${p.account_id}:${p.event}:${p.message_id}`);
  switch (p.event) {
    case "message_reaction":
      // The timestamp separates "added again later" from a retry of the first add.
      return `${reactionPrefix(p)}${p.reaction?.trim() ?? ""}:${p.timestamp ?? ""}`;
    case "message_read": {
      const readers = (p.read_by ?? []).map((r) => r.attendee_provider_id ?? r.attendee_id ?? "").sort();
      return bounded(`${base}:${readers.join(",")}:${p.timestamp ?? ""}`);
    }
    case "message_edited":
      return `${base}:${hash(p.message ?? "")}`;
    default:
      return base;
  }
}

/** What every reaction event of one person on one message has in its key: `<prefix><value>:<time>`. */
function reactionPrefix(p: MessagingWebhook): string {
  const who = p.reaction_sender?.attendee_provider_id ?? p.reaction_sender?.attendee_id ?? "";
  return `${bounded(`${p.account_id}:${p.event}:${p.message_id}:${who}`)}:`;
}

/** The start of every key of a removal (empty value) by `p`'s sender on `p`'s message. */
export function reactionRemovalPrefix(p: MessagingWebhook): string {
  return `${reactionPrefix(p)}:`;
}

/** The event time a removal's key records (see reactionRemovalPrefix), or null when it has none. */
export function removalTimeOf(p: MessagingWebhook, key: string): Date | null {
  const prefix = reactionRemovalPrefix(p);
  if (!key.startsWith(prefix)) return null;
  const ts = key.slice(prefix.length);
  return ts && !Number.isNaN(Date.parse(ts)) ? new Date(ts) : null;
}
