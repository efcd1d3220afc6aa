// Team work on chats, Parley's own and never sent to Unipile: who a chat is assigned to, and whether it
// is open, done or snoozed. Every change locks its chats, writes one ChatActivity row per chat changed
// (store/activity.ts) in the same transaction, and publishes chat.updated (ids only) after commit.
// Callers hand in chats whose grants were checked (assertChatsAccess); a batch is all-or-nothing.
import type { Prisma } from "@/generated/prisma/client.ts";
import type { CheckedChat, SessionUser } from "../access.ts";
import { db } from "../db.ts";
import { AppError } from "../errors.ts";
import { publishChatsUpdated } from "../realtime/bus.ts";
import { type ActivityRow, recordActivity } from "../store/activity.ts";
import { pgQuery } from "../store/sql.ts";

type Tx = Prisma.TransactionClient;
type WorkRow = {
  id: string;
  accountId: string;
  assigneeId: string | null;
  workState: "open" | "done" | "snoozed";
  wokenAt: Date | null;
};
type Decision = { data: Prisma.ChatUpdateManyMutationInput; activity: Omit<ActivityRow, "chatId" | "actorId"> } | null;

/** A snooze may be at most this far ahead. */
const MAX_SNOOZE_MS = 366 * 24 * 60 * 60 * 1000;

/** Locks the chats (in id order, so two batches cannot deadlock) and reads what the rules need. */
async function lockChats(tx: Tx, ids: string[]): Promise<WorkRow[]> {
  return tx.$queryRaw<WorkRow[]>`
    SELECT "id", "accountId", "assigneeId", "workState"::text AS "workState", "wokenAt"
    FROM "Chat" WHERE "id" = ANY(${ids}::text[]) ORDER BY "id" FOR UPDATE`;
}

/** Applies `decide` to each chat; the chats it changes get the update and an activity row each. */
async function change(actor: SessionUser, chats: CheckedChat[], decide: (row: WorkRow) => Decision) {
  const ids = [...new Set(chats.map((c) => c.id))];
  const changed = await db.$transaction(async (tx) => {
    const rows = await lockChats(tx, ids);
    const done: WorkRow[] = [];
    const activity: ActivityRow[] = [];
    for (const row of rows) {
      const d = decide(row);
      if (!d) continue;
      await tx.chat.updateMany({ where: { id: row.id }, data: d.data });
      activity.push({ chatId: row.id, actorId: actor.id, ...d.activity });
      done.push(row);
    }
    await recordActivity(activity, tx);
    return done;
  });
  await publishChatsUpdated(changed);
  return { changed: changed.length };
}

/**
 * Only someone who can see the chat's account may be its assignee: an active admin, or an agent with
 * a grant for every account of these chats.
 */
async function assertCanBeAssignee(assigneeId: string, chats: CheckedChat[]) {
  const user = await db.user.findUnique({
    where: { id: assigneeId },
    select: { role: true, disabled: true, name: true, email: true, grants: { select: { accountId: true } } },
  });
  if (!user || user.disabled) throw new AppError("BAD_REQUEST", "That teammate does not exist or is disabled.");
  if (user.role === "admin") return;
  const granted = new Set(user.grants.map((g) => g.accountId));
  if (chats.some((c) => !granted.has(c.accountId))) {
    const who = user.name ?? user.email;
    throw new AppError(
      "BAD_REQUEST",
      `${who} has no access to ${chats.length === 1 ? "this chat's account" : "the account of some of these chats"}. Nothing was changed.`,
    );
  }
}

/** Assigns the chats to one teammate, or unassigns them (null). Chats already so are left alone. */
export async function assignChats(actor: SessionUser, chats: CheckedChat[], assigneeId: string | null) {
  if (assigneeId) await assertCanBeAssignee(assigneeId, chats);
  return change(actor, chats, (row) => {
    if (row.assigneeId === assigneeId) return null;
    return {
      data: { assigneeId, wokenAt: null },
      activity: assigneeId
        ? { kind: "assigned", details: { assigneeId, previousId: row.assigneeId } }
        : { kind: "unassigned", details: { previousId: row.assigneeId } },
    };
  });
}

/** Done: out of the open views until someone reopens it or the person writes again. */
export function markDone(actor: SessionUser, chats: CheckedChat[]) {
  const now = new Date();
  return change(actor, chats, (row) =>
    row.workState === "done"
      ? null
      : {
          data: { workState: "done", doneAt: now, snoozedUntil: null, snoozeUntilReply: false, wokenAt: null },
          activity: { kind: "done", at: now },
        },
  );
}

/** Back to Open, from done or snoozed. */
export function reopenChats(actor: SessionUser, chats: CheckedChat[]) {
  return change(actor, chats, (row) =>
    row.workState === "open"
      ? null
      : {
          data: { workState: "open", doneAt: null, snoozedUntil: null, snoozeUntilReply: false, wokenAt: null },
          activity: { kind: "reopened", details: { from: row.workState } },
        },
  );
}

export type Snooze = { until: Date | null; untilReply: boolean };

/** Snoozed until a time, or until the person replies (a reply wakes any snooze, as in Front or Missive). */
export async function snoozeChats(actor: SessionUser, chats: CheckedChat[], s: Snooze) {
  const now = Date.now();
  if (!s.until && !s.untilReply) throw new AppError("BAD_REQUEST", "Pick a time to snooze until, or snooze until they reply.");
  if (s.until && s.until.getTime() <= now) throw new AppError("BAD_REQUEST", "Pick a time in the future to snooze until.");
  if (s.until && s.until.getTime() > now + MAX_SNOOZE_MS) throw new AppError("BAD_REQUEST", "A snooze can last at most a year.");
  const result = await change(actor, chats, () => ({
    data: { workState: "snoozed", snoozedUntil: s.until, snoozeUntilReply: s.untilReply, doneAt: null, wokenAt: null },
    activity: { kind: "snoozed", details: { until: s.until?.toISOString() ?? null, untilReply: s.untilReply } },
  }));
  return result;
}

/** Teammates who may be assigned every one of these chats: active admins, and agents granted all their accounts. */
export async function listAssignees(chats: CheckedChat[]) {
  const accounts = [...new Set(chats.map((c) => c.accountId))];
  const users = await db.user.findMany({
    where: {
      disabled: false,
      OR: [{ role: "admin" }, { AND: accounts.map((accountId) => ({ grants: { some: { accountId } } })) }],
    },
    orderBy: [{ name: "asc" }, { email: "asc" }],
    select: { id: true, name: true, email: true },
  });
  return users;
}

/**
 * The send path, after our reply is stored: an unassigned chat becomes the sender's when their
 * preference says so (on by default; a missing row means the defaults), and a woken chat is no
 * longer "woken" once someone answered it. The caller publishes chat.updated.
 */
export async function onReplySent(user: SessionUser, chat: CheckedChat): Promise<void> {
  const pref = await db.userPreference.findUnique({ where: { userId: user.id }, select: { autoAssignOnReply: true } });
  const autoAssign = pref?.autoAssignOnReply ?? true;
  await db.$transaction(async (tx) => {
    const [row] = await lockChats(tx, [chat.id]);
    if (!row) return;
    if (autoAssign && row.assigneeId === null) {
      await tx.chat.updateMany({ where: { id: chat.id }, data: { assigneeId: user.id, wokenAt: null } });
      await recordActivity(
        [
          {
            chatId: chat.id,
            actorId: user.id,
            kind: "assigned",
            details: { assigneeId: user.id, previousId: null, reason: "reply" },
          },
        ],
        tx,
      );
    } else if (row.wokenAt) {
      await tx.chat.updateMany({ where: { id: chat.id }, data: { wokenAt: null } });
    }
  });
}

/**
 * A new inbound message (decided by the webhook path: newly stored, not ours, not a replay) reopens
 * a done chat and wakes a snoozed one, but only when it is newer than the moment the chat was marked
 * done or snoozed. Returns whether the chat changed; the caller publishes.
 *
 * Unipile sends some times in whole seconds: such a message may have been sent up to 999 ms after
 * its time, but not after it reached us (`receivedAt`), so an answer in the same second as Done still
 * reopens the chat, and one delivered before Done does not.
 */
export async function reopenOnInbound(chatId: string, timestamp: Date, receivedAt: Date): Promise<boolean> {
  const sentAt =
    timestamp.getUTCMilliseconds() === 0 ? new Date(Math.min(timestamp.getTime() + 999, receivedAt.getTime())) : timestamp;
  // Most chats are open: one plain read, and no transaction, for every inbound message.
  if (!(await pgQuery(`SELECT 1 FROM "Chat" WHERE id = $1 AND "workState" <> 'open'`, [chatId])).length) return false;
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ workState: string; doneAt: Date | null; snoozedAt: Date | null }[]>`
      SELECT c."workState"::text AS "workState", c."doneAt",
        (SELECT max(a."at") FROM "ChatActivity" a WHERE a."chatId" = c."id" AND a."kind" = 'snoozed') AS "snoozedAt"
      FROM "Chat" c WHERE c."id" = ${chatId} FOR UPDATE OF c`;
    const row = rows[0];
    if (!row || row.workState === "open") return false;
    const since = row.workState === "done" ? row.doneAt : row.snoozedAt;
    if (since && sentAt <= since) return false;
    const now = new Date();
    await tx.chat.updateMany({
      where: { id: chatId },
      data: {
        workState: "open",
        doneAt: null,
        snoozedUntil: null,
        snoozeUntilReply: false,
        wokenAt: row.workState === "snoozed" ? now : null,
      },
    });
    await recordActivity(
      [
        row.workState === "done"
          ? { chatId, actorId: null, kind: "reopened", details: { reason: "inbound" } }
          : { chatId, actorId: null, kind: "woken", details: { reason: "reply" } },
      ],
      tx,
    );
    return true;
  });
}

/**
 * After a grant is revoked, an admin is made an agent or a user is disabled: that person's chats on
 * accounts they no longer see are unassigned (an agent sees its granted accounts, an admin all, a
 * disabled user none), each logged with the acting admin. Runs in the changing transaction, after the
 * change; returns the chats to publish.
 */
export async function releaseAssignments(
  tx: Tx,
  userId: string,
  actorId: string | null,
  reason: "access revoked" | "made an agent" | "disabled",
): Promise<CheckedChat[]> {
  const chats = await tx.$queryRaw<CheckedChat[]>`
    UPDATE "Chat" c SET "assigneeId" = NULL, "updatedAt" = (now() AT TIME ZONE 'UTC')
    FROM "User" u
    WHERE c."assigneeId" = ${userId} AND u."id" = c."assigneeId"
      AND (u."disabled" OR (u."role" <> 'admin' AND NOT EXISTS (
        SELECT 1 FROM "AccountGrant" g WHERE g."userId" = u."id" AND g."accountId" = c."accountId")))
    RETURNING c."id", c."accountId"`;
  await recordActivity(
    chats.map((c) => ({ chatId: c.id, actorId, kind: "unassigned", details: { previousId: userId, reason } })),
    tx,
  );
  return chats;
}
