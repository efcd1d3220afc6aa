// Saved replies: shared ones (ownerId null, managed by admins) and each user's personal ones.
// Bodies keep their {{variables}}; the composer fills them for the open chat (src/lib/saved-reply-vars.ts).
import type { SessionUser } from "../access.ts";
import { db } from "../db.ts";
import { AppError } from "../errors.ts";

export type SavedReplyInput = { title: string; body: string };

const select = { id: true, ownerId: true, title: true, body: true, updatedAt: true } as const;

/** Shared replies first, then the user's own, each by title. */
export async function listSavedReplies(user: SessionUser) {
  const rows = await db.savedReply.findMany({
    where: { OR: [{ ownerId: null }, { ownerId: user.id }] },
    orderBy: [{ title: "asc" }, { id: "asc" }],
    select,
  });
  const view = rows.map(({ ownerId, ...r }) => ({
    ...r,
    shared: ownerId === null,
    canEdit: ownerId === null ? user.role === "admin" : true,
  }));
  return [...view.filter((r) => r.shared), ...view.filter((r) => !r.shared)];
}

function clean(input: SavedReplyInput): SavedReplyInput {
  const title = input.title.trim();
  const body = input.body.trim();
  if (!title) throw new AppError("BAD_REQUEST", "A saved reply needs a title.");
  if (!body) throw new AppError("BAD_REQUEST", "A saved reply needs some text.");
  return { title, body };
}

function refuseSharedForAgents(user: SessionUser) {
  if (user.role !== "admin") throw new AppError("FORBIDDEN", "Only admins manage shared replies.");
}

export async function createSavedReply(user: SessionUser, input: SavedReplyInput & { shared: boolean }) {
  if (input.shared) refuseSharedForAgents(user);
  return db.savedReply.create({ data: { ...clean(input), ownerId: input.shared ? null : user.id }, select: { id: true } });
}

/** A reply the user may change: their own, or a shared one for admins. Others' personal replies are 404 (never revealed). */
async function editable(user: SessionUser, id: string) {
  const row = await db.savedReply.findUnique({ where: { id }, select: { ownerId: true } });
  if (!row || (row.ownerId !== null && row.ownerId !== user.id)) throw new AppError("NOT_FOUND", "Saved reply not found");
  if (row.ownerId === null) refuseSharedForAgents(user);
}

export async function updateSavedReply(user: SessionUser, id: string, input: SavedReplyInput) {
  const data = clean(input);
  await editable(user, id);
  await db.savedReply.update({ where: { id }, data });
}

export async function deleteSavedReply(user: SessionUser, id: string) {
  await editable(user, id);
  await db.savedReply.delete({ where: { id } });
}
