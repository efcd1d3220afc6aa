// WhatsApp names one person two ways (REFERENCE.md §8): the phone JID `<digits>@s.whatsapp.net` and
// the LID `<digits>@lid`. The store keeps everyone by JID; what goes out shows part of the chats in
// LID form over REST, picks the form of each webhook separately (so REST and webhooks mix), and shows
// unknown contacts (number hidden) as LIDs only. Every choice is a hash of ids, so the same seed gives
// the same forms and the seeded data itself is unchanged. Ids coming in are accepted in either form.
import { hash, type SimAttendee, type SimChat, type SimMessage, type SimStore } from "./data.ts";

const JID = /^(\d+)@s\.whatsapp\.net$/;

/** The LID of a person known by JID: 15 digits derived from the JID. */
export function lidOf(jid: string): string | null {
  if (!JID.test(jid)) return null;
  return `1${String(hash(jid)).padStart(10, "0")}${String(hash(`${jid}:lid`) % 10000).padStart(4, "0")}@lid`;
}

/** One person in six is an unknown contact: WhatsApp hides the number and shows only the LID. */
export function phoneHidden(jid: string): boolean {
  return JID.test(jid) && hash(`${jid}:hidden`) % 6 === 0;
}

/** A third of the WhatsApp chats are listed in LID form. */
export function restInLidForm(chat: SimChat): boolean {
  return chat.account_type === "WHATSAPP" && hash(`${chat.id}:lid`) % 3 === 0;
}

/** Each webhook's form, by event and message: half of them in LID form, whatever REST shows. */
export function hookInLidForm(chat: SimChat, event: string, messageId: string): boolean {
  return chat.account_type === "WHATSAPP" && hash(`${event}:${messageId}:lid`) % 2 === 0;
}

/** How `/chat_attendees` (not of one chat) shows a person: a third in LID form. */
export function personInLidForm(a: SimAttendee): boolean {
  return hash(`${a.provider_id}:person-lid`) % 3 === 0;
}

/** An id as sent out: the LID when `lid` (or the number is hidden), else the JID. The account's own id never changes. */
export function outId(id: string, lid: boolean): string {
  if (!(lid || phoneHidden(id))) return id;
  return lidOf(id) ?? id;
}

/** An id as received (attendees_ids, a provider chat id, sender_id): a LID of a known person → the JID. */
export function inId(store: SimStore, accountId: string, id: string): string {
  if (!id.endsWith("@lid")) return id;
  for (const a of store.attendees.values()) if (a.account_id === accountId && lidOf(a.provider_id) === id) return a.provider_id;
  return id;
}

const selfId = (store: SimStore, accountId: string) => {
  const account = store.account(accountId);
  return account ? store.selfOf(account).provider_id : undefined;
};

/** A REST chat (wire shape) in LID form when this chat is listed so. */
export function chatOut(store: SimStore, chat: SimChat, out: Record<string, unknown>): Record<string, unknown> {
  if (chat.account_type !== "WHATSAPP") return out;
  const lid = restInLidForm(chat);
  const res: Record<string, unknown> = { ...out, provider_id: outId(chat.provider_id, lid) };
  if (chat.attendee_provider_id) res.attendee_provider_id = outId(chat.attendee_provider_id, lid);
  if (res.lastMessage) res.lastMessage = messageOut(store, chat, res.lastMessage as SimMessage, lid);
  return res;
}

/** A message with every person id (sender, reactors, readers, quoted sender) in the chosen form. */
export function messageOut(store: SimStore, chat: SimChat | undefined, m: SimMessage, lid = chat ? restInLidForm(chat) : false): SimMessage {
  if (chat?.account_type !== "WHATSAPP") return m;
  const self = selfId(store, m.account_id);
  const id = (x: string) => (x === self ? x : outId(x, lid));
  return {
    ...m,
    chat_provider_id: outId(m.chat_provider_id, lid),
    sender_id: id(m.sender_id),
    reactions: m.reactions.map((r) => ({ ...r, sender_id: id(r.sender_id) })),
    seen_by: Object.fromEntries(Object.entries(m.seen_by).map(([k, v]) => [id(k), v])),
    ...(m.quoted ? { quoted: { ...m.quoted, sender_id: id(m.quoted.sender_id) } } : {}),
    ...(m.reply_to ? { reply_to: { ...m.reply_to, sender_id: id(m.reply_to.sender_id) } } : {}),
  };
}

/** A REST attendee in LID form: the JID moves to `public_identifier` (unless the number is hidden). */
export function attendeeOut(store: SimStore, a: SimAttendee, lid: boolean): SimAttendee & { public_identifier?: string } {
  if (a.is_self || store.account(a.account_id)?.type !== "WHATSAPP" || !JID.test(a.provider_id)) return a;
  if (!(lid || phoneHidden(a.provider_id))) return a;
  return { ...a, provider_id: lidOf(a.provider_id)!, ...(phoneHidden(a.provider_id) ? {} : { public_identifier: a.provider_id }) };
}

type Ref = { attendee_provider_id: string } & Record<string, unknown>;

/** A webhook's attendee object in LID form, as captured live: JID beside it, specifics with phone and LID. */
export function refOut<T extends Ref>(ref: T, lid: boolean, self: string | undefined): T {
  const jid = ref.attendee_provider_id;
  if (jid === self || !JID.test(jid) || !(lid || phoneHidden(jid))) return ref;
  const hidden = phoneHidden(jid);
  const l = lidOf(jid)!;
  return {
    ...ref,
    attendee_provider_id: l,
    attendee_public_identifier: hidden ? null : jid,
    attendee_specifics: { provider: "WHATSAPP", phone_number: hidden ? "hidden" : JID.exec(jid)![1], lid: l },
  };
}

/** A messaging payload with its people and the 1:1 chat id in the form chosen for this event. */
export function payloadOut(store: SimStore, chat: SimChat, event: string, m: SimMessage, payload: Record<string, unknown>): Record<string, unknown> {
  if (chat.account_type !== "WHATSAPP") return payload;
  const lid = hookInLidForm(chat, event, m.id);
  const self = selfId(store, chat.account_id);
  const ref = (r: unknown) => (r && typeof r === "object" && "attendee_provider_id" in r ? refOut(r as Ref, lid, self) : r);
  const out: Record<string, unknown> = { ...payload, provider_chat_id: outId(chat.provider_id, lid), sender: ref(payload.sender) };
  if (Array.isArray(payload.attendees)) out.attendees = payload.attendees.map(ref);
  if ("reaction_sender" in payload) out.reaction_sender = ref(payload.reaction_sender);
  if ("read_by" in payload) out.read_by = ref(payload.read_by);
  return out;
}
