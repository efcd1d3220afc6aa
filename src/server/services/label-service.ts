// Labels: Parley's own tags on chats, never sent to Unipile. Admins create, rename, recolour and
// delete them (one shared set, as in Chatwoot: agents only put existing labels on chats). Anyone
// with access to a chat adds or removes labels on it; each change is a ChatActivity row written in
// the same transaction, and a chat.updated event (ids only) after commit.
import { Prisma } from "@/generated/prisma/client.ts";
import type { LABEL_COLORS } from "@/lib/label-colors.ts";
import type { CheckedChat } from "../access.ts";
import { db } from "../db.ts";
import { readDb } from "../db-read.ts";
import { AppError } from "../errors.ts";
import { publishChatsUpdated } from "../realtime/bus.ts";
import { recordActivity } from "../store/activity.ts";

export type LabelColorName = (typeof LABEL_COLORS)[number];
export type LabelSummary = { id: string; name: string; color: string };

const labelSelect = { id: true, name: true, color: true } as const;

/** Every label, by name; with how many chats carry it (the manage page shows it). */
export async function listLabels() {
  const rows = await db.label.findMany({
    orderBy: { name: "asc" },
    select: { ...labelSelect, _count: { select: { chats: true } } },
  });
  return rows.map(({ _count, ...l }) => ({ ...l, chatCount: _count.chats }));
}

function isUniqueViolation(err: unknown) {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

function cleanName(name: string) {
  const n = name.trim().replace(/\s+/g, " ");
  if (!n) throw new AppError("BAD_REQUEST", "A label needs a name.");
  return n;
}

/** Names differ by more than letter case: "VIP" and "vip" would be one label to a reader. */
async function assertNameFree(name: string, exceptId?: string) {
  const clash = await db.label.findFirst({
    where: { name: { equals: name, mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw new AppError("CONFLICT", `A label named “${name}” already exists.`);
}

export async function createLabel(input: { name: string; color: LabelColorName }): Promise<LabelSummary> {
  const name = cleanName(input.name);
  await assertNameFree(name);
  try {
    return await db.label.create({ data: { name, color: input.color }, select: labelSelect });
  } catch (err) {
    // Two admins racing on the same name: the unique key decides, the loser reads the same sentence.
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", `A label named “${name}” already exists.`);
    throw err;
  }
}

/** The accounts of the chats a label is on, for one chat.updated per chat after a change. */
async function labelledChats(labelId: string) {
  const rows = await db.chatLabel.findMany({ where: { labelId }, select: { chat: { select: { id: true, accountId: true } } } });
  return rows.map((r) => r.chat);
}

export async function updateLabel(input: { id: string; name?: string; color?: LabelColorName }): Promise<LabelSummary> {
  const name = input.name === undefined ? undefined : cleanName(input.name);
  if (name !== undefined) await assertNameFree(name, input.id);
  let label: LabelSummary;
  try {
    label = await db.label.update({ where: { id: input.id }, data: { name, color: input.color }, select: labelSelect });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2025")
      throw new AppError("NOT_FOUND", "Label not found");
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", `A label named “${name}” already exists.`);
    throw err;
  }
  await publishChatsUpdated(await labelledChats(label.id));
  return label;
}

/** Deleting a label takes it off every chat (the activity rows stay: they say it was there). */
export async function deleteLabel(id: string) {
  const chats = await labelledChats(id);
  const { count } = await db.label.deleteMany({ where: { id } });
  if (count === 0) throw new AppError("NOT_FOUND", "Label not found");
  await publishChatsUpdated(chats);
  return { id };
}

/** The labels of some chats, by chat id (list rows and the thread header). */
export async function labelsOfChats(chatIds: string[]): Promise<Map<string, LabelSummary[]>> {
  const out = new Map<string, LabelSummary[]>();
  if (chatIds.length === 0) return out;
  // One join rather than Prisma's two statements (the second an `IN (NULL)` when no chat has a label):
  // every chat list page and thread header asks.
  const rows = await readDb().$queryRaw<({ chatId: string } & LabelSummary)[]>`
    SELECT cl."chatId", l.id, l.name, l.color FROM "ChatLabel" cl JOIN "Label" l ON l.id = cl."labelId"
    WHERE cl."chatId" = ANY(${chatIds}::text[]) ORDER BY l.name`;
  for (const { chatId, ...label } of rows) out.set(chatId, [...(out.get(chatId) ?? []), label]);
  return out;
}

/**
 * Puts a label on (or takes it off) chats whose grants the caller checked. All or nothing, in one
 * transaction; a chat that already had it (or lacked it) is left alone and gets no activity row.
 * Returns the ids of the chats that changed.
 */
export async function setLabel(actorId: string, chats: CheckedChat[], labelId: string, on: boolean): Promise<string[]> {
  const label = await db.label.findUnique({ where: { id: labelId }, select: { id: true, name: true } });
  if (!label) throw new AppError("NOT_FOUND", "Label not found");
  const ids = [...new Set(chats.map((c) => c.id))];
  // The insert/delete's RETURNING says which chats changed: the unique key, not a read before it,
  // decides, so two people adding the same label at once write one activity row.
  const changed = await db.$transaction(async (tx) => {
    const rows = on
      ? await tx.$queryRaw<{ chatId: string }[]>`
          INSERT INTO "ChatLabel" ("chatId", "labelId") SELECT unnest(${ids}::text[]), ${labelId}
          ON CONFLICT DO NOTHING RETURNING "chatId"`
      : await tx.$queryRaw<{ chatId: string }[]>`
          DELETE FROM "ChatLabel" WHERE "labelId" = ${labelId} AND "chatId" = ANY(${ids}::text[]) RETURNING "chatId"`;
    const todo = rows.map((r) => r.chatId);
    await recordActivity(
      todo.map((chatId) => ({ chatId, actorId, kind: on ? "labelled" : "unlabelled", details: { labelId, labelName: label.name } })),
      tx,
    );
    return todo;
  });
  await publishChatsUpdated(chats.filter((c) => changed.includes(c.id)));
  return changed;
}
