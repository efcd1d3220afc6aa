// Who may see what: admins see every account, agents only the accounts granted to them.
// The procedure, action or route checks once with these helpers and hands what it checked (a chat,
// a message, a contact) to the service, which trusts it.
import { db, dbPool } from "./db.ts";
import { AppError } from "./errors.ts";

export type SessionUser = {
  id: string;
  email: string;
  name: string | null;
  role: "admin" | "agent";
  /** The session row this request came with (see security/sessions.ts); absent in tests and scripts. */
  sessionId?: string;
};

/** Account ids the user may see, or "all" for admins. */
export async function visibleAccountIds(user: SessionUser): Promise<string[] | "all"> {
  if (user.role === "admin") return "all";
  const grants = await db.accountGrant.findMany({ where: { userId: user.id }, select: { accountId: true } });
  return grants.map((g) => g.accountId);
}

async function canSeeAccount(user: SessionUser, accountId: string): Promise<boolean> {
  if (user.role === "admin") return true;
  const grant = await db.accountGrant.findUnique({
    where: { userId_accountId: { userId: user.id, accountId } },
    select: { accountId: true },
  });
  return grant !== null;
}

const NO_ACCESS = "You do not have access to this account";

export async function assertAccountAccess(user: SessionUser, accountId: string) {
  if (!(await canSeeAccount(user, accountId))) throw new AppError("FORBIDDEN", NO_ACCESS);
}

/** A chat whose grant was checked. */
export type CheckedChat = { id: string; accountId: string };

/** Loads the chat's account and checks the grant. Unknown chats are 404 for everyone. */
export async function assertChatAccess(user: SessionUser, chatId: string): Promise<CheckedChat> {
  // One named statement for the chat and the grant: every thread page and chat action starts here, and
  // Prisma's two statements cost about a millisecond more than this one.
  const { rows } = await dbPool().query<CheckedChat & { granted: boolean }>({
    name: "parley-chat-access",
    text: `SELECT c.id, c."accountId", EXISTS (SELECT 1 FROM "AccountGrant" g WHERE g."userId" = $2 AND g."accountId" = c."accountId") AS granted
           FROM "Chat" c WHERE c.id = $1`,
    values: [chatId, user.id],
  });
  const chat = rows[0];
  if (!chat) throw new AppError("NOT_FOUND", "Chat not found");
  if (user.role !== "admin" && !chat.granted) throw new AppError("FORBIDDEN", NO_ACCESS);
  return { id: chat.id, accountId: chat.accountId };
}

/** Same for a message (attachments, reactions…): returns its chat. */
export async function assertMessageAccess(user: SessionUser, messageId: string) {
  const message = await db.message.findUnique({
    where: { id: messageId },
    select: { id: true, unipileId: true, chat: { select: { id: true, accountId: true } } },
  });
  if (!message) throw new AppError("NOT_FOUND", "Message not found");
  await assertAccountAccess(user, message.chat.accountId);
  return message;
}

/** Same for a contact (profile pictures): returns what serving its picture needs. */
export async function assertAttendeeAccess(user: SessionUser, attendeeId: string) {
  const attendee = await db.attendee.findUnique({ where: { id: attendeeId }, select: { unipileId: true, accountId: true, pictureUrl: true } });
  if (!attendee) throw new AppError("NOT_FOUND", "Contact not found");
  await assertAccountAccess(user, attendee.accountId);
  return attendee;
}

/** Several chats at once (bulk actions): all exist and all are granted, or nothing is done. */
export async function assertChatsAccess(user: SessionUser, chatIds: string[]): Promise<CheckedChat[]> {
  const ids = [...new Set(chatIds)];
  const chats = await db.chat.findMany({ where: { id: { in: ids } }, select: { id: true, accountId: true } });
  if (chats.length !== ids.length) {
    const missing = ids.length - chats.length;
    throw new AppError("NOT_FOUND", ids.length === 1 ? "Chat not found" : `${missing} of these chats no longer exist. Reload the list.`);
  }
  const visible = await visibleAccountIds(user);
  if (visible !== "all" && chats.some((c) => !visible.includes(c.accountId))) {
    const why = ids.length === 1 ? "You do not have access to this account" : "Some of these chats belong to an account you do not have access to. Nothing was changed.";
    throw new AppError("FORBIDDEN", why);
  }
  return chats;
}
