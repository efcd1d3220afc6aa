// message_reaction: `reaction` set (added; on one-reaction-per-person providers it replaces that
// person's previous one) or empty (that person's reactions removed). Reactions carry the event time
// (createdAt), and a removal logged with a later time wins over an add, so deliveries in any order
// end in the same state.
import { db } from "../../db.ts";
import type { MessagingWebhook } from "../../unipile/webhook-schemas.ts";
import { reactionRemovalPrefix, removalTimeOf } from "../dedupe-key.ts";
import { rememberPeople } from "../../store/attendees.ts";
import { findMessage, peopleOf, providerIdOf } from "./message-lookup.ts";
import { deferred, eventTime, type MessageHandler } from "./types.ts";

/** Providers where a person has at most one reaction per message: a new one replaces the old. */
const ONE_REACTION_EACH = new Set(["WHATSAPP", "INSTAGRAM", "MESSENGER"]);

/** Is a removal by the same person on this message logged with a later time than `at`? */
async function laterRemovalLogged(p: MessagingWebhook, at: string): Promise<boolean> {
  const removals = await db.webhookEvent.findMany({
    where: { messageId: p.message_id, event: "message_reaction", dedupeClaim: { startsWith: reactionRemovalPrefix(p) } },
    select: { dedupeClaim: true },
  });
  return removals.some((r) => (removalTimeOf(p, r.dedupeClaim!)?.toISOString() ?? "") > at);
}

export const messageReaction: MessageHandler = async (p, ctx) => {
  const message = await findMessage(p.message_id);
  if (!message) return deferred(p.message_id);
  if (message.deleted) return { status: "duplicate", note: "The message is deleted: its reactions went with it" };
  const given = providerIdOf(p.reaction_sender);
  // Either WhatsApp form of the reactor names the one stored person.
  const sender = given && (await rememberPeople(message.accountId, peopleOf([p.reaction_sender])))(given);
  if (!sender) return { status: "applied", note: "Reaction without a sender: nothing to record" };
  const value = p.reaction?.trim() ?? "";
  const at = eventTime(p, ctx).toISOString();
  const mine = { messageId: message.id, senderProviderId: sender };
  let changed = 0;

  if (value) {
    if (await laterRemovalLogged(p, at)) return { status: "duplicate", note: "A later removal is recorded" };
    const attendee = await db.attendee.findUnique({
      where: { accountId_providerId: { accountId: message.accountId, providerId: sender } },
      select: { id: true, isSelf: true },
    });
    // Ours is one per message everywhere (message-actions.ts replaces it), so a late echo of the one we
    // replaced must not come back beside the new one.
    const provider = async () =>
      (await db.account.findUnique({ where: { id: message.accountId }, select: { provider: true } }))?.provider ?? "";
    if (attendee?.isSelf || ONE_REACTION_EACH.has(await provider())) {
      const newer = await db.reaction.count({ where: { ...mine, createdAt: { gt: new Date(at) } } });
      if (newer > 0) return { status: "duplicate", note: "A later reaction by this person is recorded" };
      changed += (await db.reaction.deleteMany({ where: { ...mine, value: { not: value }, createdAt: { lt: new Date(at) } } })).count;
    }
    const r = await db.reaction.createMany({
      data: [{ ...mine, senderId: attendee?.id ?? null, value, isSender: attendee?.isSelf ?? false, createdAt: new Date(at) }],
      skipDuplicates: true,
    });
    changed += r.count;
  } else {
    changed += (await db.reaction.deleteMany({ where: { ...mine, createdAt: { lte: new Date(at) } } })).count;
  }
  if (changed === 0) return { status: "duplicate", note: value ? "Reaction already recorded" : "No reaction to remove" };
  return {
    status: "applied",
    publish: [{ type: "message.upserted", accountId: message.accountId, chatId: message.chatId, messageId: message.id }],
  };
};
