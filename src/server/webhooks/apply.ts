// Applying logged webhook events: claim a row (a lease in notBefore, so two instances rarely work on
// one event, and handlers are idempotent when they do), run its handler, record the outcome, publish
// after that. Deferred events wait for their message; failures back off and are retried by the worker.
import pLimit from "p-limit";
import { prefetchAttachmentsOf } from "../attachments/prefetch.ts";
import { db } from "../db.ts";
import { log } from "../log.ts";
import { metrics } from "../metrics/registry.ts";
import { accountInScope } from "../env.ts";
import { publish } from "../realtime/bus.ts";
import { ensureChat } from "../store/chats.ts";
import { upsertMessages } from "../store/messages.ts";
import { IN_JSON, pgQuery } from "../store/sql.ts";
import { getUnipile } from "../unipile/client.ts";
import { UnipileError } from "../unipile/errors.ts";
import { decodeWebhookBody, type MessagingWebhook, parseWebhookPayload } from "../unipile/webhook-schemas.ts";
import { chatLocks } from "./chat-locks.ts";
import { accountStatus, messageHandlers } from "./handlers/index.ts";
import type { HandlerContext, Outcome } from "./handlers/types.ts";

/** After this many tries a failed event waits for an admin's Replay. */
const MAX_ATTEMPTS = 10;
/** A claimed event is left alone by other workers this long: longer than an apply normally takes
 * (a slower one may run twice, which the idempotent handlers absorb), short for a crashed holder. */
const LEASE_SECONDS = 15;
/** From this try on, a deferred event's message is fetched from Unipile instead of waited for. */
const FETCH_FROM_ATTEMPT = 2;

type Claimed = { id: bigint; body: string; attempts: number; receivedAt: Date; chatId: string | null };
export type ApplyResult = Outcome | { status: "failed"; error: string };

/** Retry delay after the n-th failed try: 2 s, 4 s, … capped at 10 min. */
function backoffSeconds(attempts: number): number {
  return Math.min(2 ** Math.max(1, attempts), 600);
}
/** A deferred event waits for its message: 10 s, 30 s, 90 s, … capped at 15 min. */
function deferSeconds(attempts: number): number {
  return Math.min(10 * 3 ** Math.max(0, attempts - 1), 900);
}

// The statements of the apply path run straight through pg (store/sql.ts pgQuery): at a burst of
// webhooks, each Prisma call's own cost is event-loop time the acknowledgements wait for.
const CLAIMED = `w."id"::text AS "id", w."body", w."attempts", (w."receivedAt" AT TIME ZONE 'UTC') AS "receivedAt", w."chatId"`;
const claimed = (rows: (Omit<Claimed, "id"> & { id: string })[]): Claimed[] => rows.map((r) => ({ ...r, id: BigInt(r.id) }));

async function claimOne(id: bigint): Promise<Claimed | null> {
  const rows = await pgQuery<Omit<Claimed, "id"> & { id: string }>(
    `UPDATE "WebhookEvent" w SET "attempts" = w."attempts" + 1, "notBefore" = now() + make_interval(secs => $2)
     WHERE w."id" = $1 AND w."status" IN ('received', 'failed', 'deferred')
     RETURNING ${CLAIMED}`,
    [id.toString(), LEASE_SECONDS],
  );
  return claimed(rows)[0] ?? null;
}

/** Due events (received past their grace, failed past their backoff, deferred past their wait), oldest first. */
export async function claimDue(limit: number): Promise<Claimed[]> {
  const rows = await pgQuery<Omit<Claimed, "id"> & { id: string }>(
    `UPDATE "WebhookEvent" w SET "attempts" = w."attempts" + 1, "notBefore" = now() + make_interval(secs => $1)
     FROM (
       SELECT "id" FROM "WebhookEvent"
       WHERE "status" IN ('received', 'failed', 'deferred') AND "notBefore" <= now() AND "attempts" < $2
       ORDER BY "id" LIMIT $3 FOR UPDATE SKIP LOCKED
     ) due
     WHERE w."id" = due."id"
     RETURNING ${CLAIMED}`,
    [LEASE_SECONDS, MAX_ATTEMPTS, limit],
  );
  return claimed(rows).sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Records how a run ended: status, error or note, and the time to try again (deferred, failed) or the time it was applied. */
async function settle(id: bigint, status: string, error: string | null, retryInSeconds: number | null) {
  await pgQuery(
    `UPDATE "WebhookEvent" SET "status" = $2::"WebhookEventStatus", "error" = $3,
       "notBefore" = CASE WHEN $4::int IS NULL THEN "notBefore" ELSE now() + make_interval(secs => $4::int) END,
       "appliedAt" = CASE WHEN $2 IN ('applied', 'duplicate') THEN (now() AT TIME ZONE 'UTC') ELSE "appliedAt" END
     WHERE "id" = $1`,
    [id.toString(), status, error, retryInSeconds],
  );
}

/** Applies one event now (the receiving request, a Replay). Null when it is not in an applicable state. */
export async function applyWebhookEvent(id: bigint, opts: { replay?: boolean } = {}): Promise<ApplyResult | null> {
  const row = await claimOne(id);
  return row ? run(row, opts) : null;
}

/** Runs a claimed row and records what happened. Never throws. */
export async function run(row: Claimed, opts: { replay?: boolean } = {}): Promise<ApplyResult> {
  const ctx: HandlerContext = { eventId: row.id, receivedAt: row.receivedAt, attempts: row.attempts, replay: opts.replay };
  let outcome: Outcome;
  try {
    const parsed = parseWebhookPayload(decodeWebhookBody(row.body));
    const accountId = parsed.kind === "unknown_event" ? parsed.raw.account_id : parsed.account_id;
    if (typeof accountId === "string" && !accountInScope(accountId)) outcome = outOfScope(accountId);
    else if (parsed.kind === "unknown_event") outcome = { status: "applied", note: `Event ${parsed.event} is not handled` };
    else if (parsed.kind === "account_status") outcome = await accountStatus(parsed, ctx);
    else {
      outcome = await messageHandlers[parsed.event](parsed, ctx);
      // Only a wait for a message ends by fetching it; other waits (an account Unipile could not be asked about) just retry.
      if (outcome.status === "deferred" && outcome.messageId && row.attempts >= FETCH_FROM_ATTEMPT) outcome = await fetchThenRetry(parsed, ctx, outcome);
    }
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    const final = row.attempts >= MAX_ATTEMPTS;
    await settle(row.id, "failed", error.slice(0, 2000), backoffSeconds(row.attempts));
    if (final) log.error(`webhook event ${row.id} failed ${row.attempts} times, waiting for a replay: ${error}`);
    metrics().webhookDeliveries.inc({ outcome: "failed" });
    return { status: "failed", error };
  }

  if (outcome.status === "deferred" && row.attempts >= MAX_ATTEMPTS) {
    const error = `Gave up: ${outcome.reason}`;
    await settle(row.id, "failed", error, null);
    metrics().webhookDeliveries.inc({ outcome: "failed" });
    return { status: "failed", error };
  }
  if (outcome.status === "deferred") {
    await settle(row.id, "deferred", outcome.reason, deferSeconds(row.attempts));
    metrics().webhookDeliveries.inc({ outcome: "deferred" });
    // The message may have been stored while we decided to wait, after its applyDeferredFor looked
    // for waiting events: one of the two always sees the other, so nothing waits for the retry.
    if (outcome.messageId && (await pgQuery(`SELECT 1 FROM "Message" WHERE "unipileId" = $1`, [outcome.messageId])).length > 0) {
      return (await applyWebhookEvent(row.id)) ?? outcome;
    }
    return outcome;
  }
  await settle(row.id, outcome.status, outcome.note ?? null, null);
  metrics().webhookDeliveries.inc({ outcome: outcome.status });
  if (outcome.status === "applied") metrics().webhookApplyLag.observe((Date.now() - row.receivedAt.getTime()) / 1000);
  if (outcome.status === "applied") {
    if (outcome.publish?.length) await publish(...outcome.publish).catch((err) => log.error("realtime publish failed:", err));
    if (outcome.storedMessages?.length) {
      await applyDeferredFor(outcome.storedMessages);
      prefetchAttachmentsOf(outcome.storedMessages);
    }
  }
  return outcome;
}

/**
 * An account of a shared workspace that this Parley does not serve: logged with the reason, never
 * turned into an account or a chat. `applied` because nothing is left to do with it.
 */
function outOfScope(accountId: string): Outcome {
  return { status: "applied", note: `Ignored: account ${accountId} is not in UNIPILE_ACCOUNT_IDS` };
}

/** The message never came by webhook: fetch it (and its chat) from Unipile, then run the handler again. */
async function fetchThenRetry(p: MessagingWebhook, ctx: HandlerContext, waiting: Outcome): Promise<Outcome> {
  let message: Awaited<ReturnType<ReturnType<typeof getUnipile>["getMessage"]>>;
  try {
    message = await getUnipile().getMessage(p.message_id, { accountId: p.account_id });
  } catch (err) {
    if (err instanceof UnipileError && err.status === 404) {
      return { status: "applied", note: `Message ${p.message_id} is unknown to Unipile: nothing to update` };
    }
    if (err instanceof UnipileError && err.retryable) return waiting;
    throw err;
  }
  const { chat } = await ensureChat(message.chat_id, message.account_id);
  await upsertMessages(chat.id, [message], { publish: "each", countUnread: true });
  const again = await messageHandlers[p.event](p, ctx);
  return again.status === "deferred" ? waiting : again;
}

/** Runs the events that were waiting for these messages (called after each message upsert). */
async function applyDeferredFor(unipileMessageIds: string[]): Promise<void> {
  const waiting = await pgQuery<{ id: string }>(
    `SELECT "id"::text AS "id" FROM "WebhookEvent" WHERE "status" = 'deferred' AND "messageId" = ${IN_JSON(1)} ORDER BY "id"`,
    [JSON.stringify(unipileMessageIds)],
  );
  for (const w of waiting) await applyWebhookEvent(BigInt(w.id));
}

// One chat's events are applied one at a time: handlers that read then write a chat (unread count
// against reads, seen status of earlier messages) then see each other's result. In this process a
// promise chain per chat; across instances on a real server, also a per-chat advisory lock.
const chains = new Map<string, Promise<void>>();
let inFlight = 0;

/** Runs `fn` after every earlier call for the same chat (Unipile chat id) in this process. */
export function withChatLock<T>(chatKey: string | null, fn: () => Promise<T>): Promise<T> {
  inFlight++;
  const done = () => {
    inFlight--;
  };
  if (!chatKey) return fn().finally(done);
  const previous = chains.get(chatKey) ?? Promise.resolve();
  const locks = chatLocks();
  const result = previous.then(() => (locks ? locks.run(chatKey, fn) : fn()));
  const tail = result.then(
    () => {},
    () => {},
  );
  chains.set(chatKey, tail);
  void tail.then(() => {
    if (chains.get(chatKey) === tail) chains.delete(chatKey);
    done();
  });
  return result;
}

// In-process application right after the answer. Bounded, so a burst of webhooks cannot take every
// database connection away from the acknowledgements.
const limit = pLimit(4);

export function applySoon(id: bigint, chatKey: string | null): void {
  void withChatLock(chatKey, () => limit(() => ackFirst().then(() => applyWebhookEvent(id)))).catch((err) =>
    log.error(`webhook event ${id}:`, err),
  );
}

// Acknowledgements go first: Unipile retries a slow answer, while an applied-later event loses
// nothing (it is in the log). During a burst an apply waits for a gap in the acks, a bounded while.
let receiving = 0;
export function receivingStarted() {
  receiving++;
}
export function receivingDone() {
  receiving--;
}
async function ackFirst(maxWaitMs = 250) {
  const until = Date.now() + maxWaitMs;
  while (receiving > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 1));
}

/** Tests and benches: resolves when nothing is being applied in this process. */
export async function drainApplyQueue(): Promise<void> {
  while (inFlight > 0 || limit.activeCount + limit.pendingCount > 0) await new Promise((r) => setTimeout(r, 5));
}

/** Admin Replay: a failed (or stuck deferred) event runs again now, with a fresh attempt budget. */
export async function replayWebhookEvent(id: bigint): Promise<ApplyResult | null> {
  const row = await db.webhookEvent.findUnique({ where: { id }, select: { chatId: true } });
  if (!row) return null;
  return withChatLock(row.chatId, async () => {
    const { count } = await db.webhookEvent.updateMany({
      where: { id, status: { in: ["failed", "deferred"] } },
      data: { attempts: 0, notBefore: new Date() },
    });
    return count === 0 ? null : applyWebhookEvent(id, { replay: true });
  });
}
