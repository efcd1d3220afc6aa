// The contact panel beside a thread: who the person is, their other chats (same provider by their
// provider id; other providers through a hand-made "same person as…" PersonLink), this chat's labels
// and first/last contact. Only chats of accounts the user may see are ever listed or counted.
import type { CheckedChat, SessionUser } from "../access.ts";
import { visibleAccountIds } from "../access.ts";
import { db } from "../db.ts";
import { AppError } from "../errors.ts";
import { samePerson } from "../store/people.ts";
import { chatSummaries } from "./chat-service.ts";
import { labelsOfChats } from "./label-service.ts";

const personSelect = {
  id: true,
  name: true,
  providerId: true,
  pictureUrl: true,
  profileUrl: true,
  accountId: true,
  account: { select: { provider: true, name: true } },
} as const;

async function accountWhere(user: SessionUser) {
  const visible = await visibleAccountIds(user);
  return visible === "all" ? {} : { accountId: { in: visible } };
}

/** This person on every visible account of their provider, WhatsApp's phone and LID forms included. */
async function sameOnProvider(attendeeId: string, scope: { accountId?: { in: string[] } }) {
  const same = await samePerson(attendeeId);
  if (!same) return [];
  const rows = await db.attendee.findMany({
    where: { id: { in: same.attendeeIds }, isSelf: false, ...scope },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

function toPerson(a: {
  id: string;
  name: string | null;
  providerId: string;
  pictureUrl: string | null;
  profileUrl: string | null;
  account: { provider: string; name: string };
}) {
  return {
    id: a.id,
    name: a.name?.trim() || a.providerId,
    providerId: a.providerId,
    provider: a.account.provider,
    accountName: a.account.name,
    avatarUrl: a.pictureUrl ? `/api/avatars/${a.id}` : null,
    profileUrl: a.profileUrl && /^https?:\/\//i.test(a.profileUrl) ? a.profileUrl : null,
  };
}

/** An attendee the user may see (an account they hold a grant for), or NOT_FOUND. */
async function visibleAttendee(user: SessionUser, attendeeId: string) {
  const scope = await accountWhere(user);
  const a = await db.attendee.findFirst({ where: { id: attendeeId, isSelf: false, ...scope }, select: personSelect });
  if (!a) throw new AppError("NOT_FOUND", "Contact not found");
  return a;
}

/**
 * The panel for a chat the caller checked. A 1:1 chat shows its other person; a group lists its
 * members, and `attendeeId` (one of them) picks whose panel to show.
 */
export async function contactPanel(user: SessionUser, chat: CheckedChat, attendeeId?: string) {
  const scope = await accountWhere(user);
  const row = await db.chat.findUniqueOrThrow({
    where: { id: chat.id },
    select: {
      type: true,
      attendeeProviderId: true,
      members: { where: { attendee: { isSelf: false } }, select: { attendee: { select: personSelect } }, take: 200 },
    },
  });
  const members = row.members.map((m) => m.attendee);
  const labels = (await labelsOfChats([chat.id])).get(chat.id) ?? [];
  const isGroup = row.type !== "single";
  const picked = attendeeId
    ? members.find((m) => m.id === attendeeId)
    : isGroup
      ? undefined
      : (members.find((m) => m.providerId === row.attendeeProviderId) ?? members[0]);
  if (attendeeId && !picked) throw new AppError("NOT_FOUND", "That person is not in this chat");
  const base = { isGroup, members: isGroup ? members.map(toPerson) : [], labels };
  if (!picked) {
    const noteCount = await countNotes([chat.id]);
    return { ...base, person: null, linkedPeople: [], otherChats: [], firstContactAt: null, lastContactAt: null, noteCount };
  }

  // This person on every visible account of the provider, then the people linked to any of them.
  const mine = await sameOnProvider(picked.id, scope);
  const ids = new Set([picked.id, ...mine]);
  const links = await db.personLink.findMany({
    where: { OR: [{ aId: { in: [...ids] } }, { bId: { in: [...ids] } }] },
    select: { id: true, a: { select: personSelect }, b: { select: personSelect } },
  });
  const visibleAccounts = scope.accountId?.in;
  const canSee = (accountId: string) => !visibleAccounts || visibleAccounts.includes(accountId);
  const linked = links
    .map((l) => ({ linkId: l.id, other: ids.has(l.a.id) ? l.b : l.a }))
    .filter((l) => canSee(l.other.accountId) && !ids.has(l.other.id));
  for (const l of linked) for (const id of await sameOnProvider(l.other.id, scope)) ids.add(id);
  for (const l of linked) ids.add(l.other.id);

  const chatRows = await db.chat.findMany({
    // Their own conversations: 1:1 chats (a group they are in is not a chat with them).
    where: { type: "single", members: { some: { attendeeId: { in: [...ids] } } }, ...scope },
    select: { id: true },
    take: 50,
  });
  const chatIds = chatRows.map((c) => c.id);
  const span = await db.message.aggregate({
    where: { chatId: { in: chatIds.length ? chatIds : [chat.id] }, isEvent: false },
    _min: { sentAt: true },
    _max: { sentAt: true },
  });
  const noteCount = await countNotes([...new Set([chat.id, ...chatIds])]);
  const summaries = await chatSummaries(chatIds.filter((id) => id !== chat.id));
  const otherChats = [...summaries.values()]
    .sort((a, b) => (b.lastMessageAt?.getTime() ?? 0) - (a.lastMessageAt?.getTime() ?? 0))
    .map((c) => ({
      id: c.id,
      displayName: c.displayName,
      provider: c.account.provider,
      accountName: c.account.name,
      lastMessageAt: c.lastMessageAt,
    }));
  return {
    ...base,
    person: toPerson(picked),
    linkedPeople: linked.map((l) => ({ linkId: l.linkId, ...toPerson(l.other) })),
    otherChats,
    firstContactAt: span._min.sentAt,
    lastContactAt: span._max.sentAt,
    noteCount,
  };
}

/** The team's notes (not deleted) in these chats: on this chat, or on every chat with the person. */
const countNotes = (chatIds: string[]) => db.chatNote.count({ where: { chatId: { in: chatIds }, deletedAt: null } });

/** People to pick for "same person as…": named attendees of visible accounts whose name matches. */
export async function searchPeople(user: SessionUser, q: string) {
  const scope = await accountWhere(user);
  const rows = await db.attendee.findMany({
    where: { isSelf: false, name: { contains: q.trim(), mode: "insensitive" }, ...scope },
    select: personSelect,
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: 20,
  });
  return rows.map(toPerson);
}

/** Links two people the user can both see; linking them again changes nothing. */
export async function linkPeople(user: SessionUser, attendeeId: string, otherId: string) {
  if (attendeeId === otherId) throw new AppError("BAD_REQUEST", "Pick someone else: a person is already the same as themselves.");
  await visibleAttendee(user, attendeeId);
  await visibleAttendee(user, otherId);
  const [aId, bId] = attendeeId < otherId ? [attendeeId, otherId] : [otherId, attendeeId];
  const link = await db.personLink.upsert({
    where: { aId_bId: { aId, bId } },
    create: { aId, bId, createdById: user.id },
    update: {},
    select: { id: true },
  });
  return link;
}

/** Removes a link; the user must be able to see both people in it. */
export async function unlinkPeople(user: SessionUser, linkId: string) {
  const link = await db.personLink.findUnique({ where: { id: linkId }, select: { aId: true, bId: true } });
  if (!link) throw new AppError("NOT_FOUND", "Link not found");
  await visibleAttendee(user, link.aId);
  await visibleAttendee(user, link.bId);
  await db.personLink.delete({ where: { id: linkId } });
  return { id: linkId };
}
