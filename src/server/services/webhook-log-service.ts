// The admin's webhook log page: events newest first, filtered by status, event, account or chat
// (our chat id or Unipile's), keyset-paginated on id; one event with its payload; Replay.
import type { WebhookEventStatus } from "@/generated/prisma/client.ts";
import { db } from "../db.ts";
import { AppError } from "../errors.ts";
import { replayWebhookEvent } from "../webhooks/apply.ts";

export type WebhookLogFilter = {
  status?: WebhookEventStatus;
  event?: string;
  accountId?: string;
  chatId?: string;
  cursor?: string | null;
  limit: number;
};

const parseId = (id: string) => {
  if (!/^\d{1,19}$/.test(id)) throw new AppError("BAD_REQUEST", "Not a webhook event id");
  return BigInt(id);
};

export async function listWebhookEvents(f: WebhookLogFilter) {
  let chatId = f.chatId?.trim() || undefined;
  if (chatId) {
    // The inbox shows our chat ids; the payload has Unipile's: accept either.
    const chat = await db.chat.findUnique({ where: { id: chatId }, select: { unipileId: true } });
    if (chat) chatId = chat.unipileId;
  }
  const rows = await db.webhookEvent.findMany({
    where: {
      ...(f.status ? { status: f.status } : {}),
      ...(f.event ? { event: f.event } : {}),
      ...(f.accountId?.trim() ? { accountId: f.accountId.trim() } : {}),
      ...(chatId ? { chatId } : {}),
      ...(f.cursor ? { id: { lt: parseId(f.cursor) } } : {}),
    },
    orderBy: { id: "desc" },
    take: f.limit + 1,
    select: {
      id: true,
      receivedAt: true,
      event: true,
      accountId: true,
      chatId: true,
      messageId: true,
      status: true,
      attempts: true,
      error: true,
      appliedAt: true,
    },
  });
  const items = rows.slice(0, f.limit).map((r) => ({ ...r, id: r.id.toString() }));
  return { items, nextCursor: rows.length > f.limit ? items.at(-1)!.id : null };
}

export async function webhookEventDetail(id: string) {
  const row = await db.webhookEvent.findUnique({ where: { id: parseId(id) } });
  if (!row) throw new AppError("NOT_FOUND", "Webhook event not found");
  const { id: _id, dedupeClaim: _claim, notBefore, ...rest } = row;
  return { ...rest, id, nextAttemptAt: ["failed", "deferred", "received"].includes(row.status) ? notBefore : null };
}

/** Counts per status over the last day, for the page's summary. */
export async function webhookStatusCounts() {
  const since = new Date(Date.now() - 24 * 3600_000);
  const groups = await db.webhookEvent.groupBy({ by: ["status"], where: { receivedAt: { gte: since } }, _count: true });
  return Object.fromEntries(groups.map((g) => [g.status, g._count])) as Partial<Record<WebhookEventStatus, number>>;
}

export async function replayEvent(id: string) {
  const result = await replayWebhookEvent(parseId(id));
  if (!result) throw new AppError("CONFLICT", "Only failed or waiting events can be replayed");
  return result.status === "failed" ? { status: "failed" as const, error: result.error } : { status: result.status };
}
