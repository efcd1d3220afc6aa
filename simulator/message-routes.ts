// The newer v1 message actions (REFERENCE.md §8, rated only "likely"): react, remove a reaction,
// edit, delete and forward. Paths, bodies and answers are our best reading of the reference's
// summaries; the rules per provider are what Unipile documents (LinkedIn deletes within 60 minutes,
// forwarding on WhatsApp only) or, where it says nothing, what the providers' own apps allow.
// Each route checks everything first, then changes the world through apply() only.
import type { Provider, SimChat, SimMessage } from "./data.ts";
import { ApiError, badParam, ok, readJson, type Route } from "./http.ts";
import type { World } from "./world.ts";

type Rules = { unreact?: true; edit?: true; forward?: true; deleteWithinMinutes?: number };
const RULES: Record<Provider, Rules> = {
  LINKEDIN: { edit: true, deleteWithinMinutes: 60 },
  WHATSAPP: { unreact: true, edit: true, forward: true },
  INSTAGRAM: {},
  MESSENGER: {},
  TELEGRAM: { unreact: true, edit: true },
};

const notImplemented = (what: string, provider: string) =>
  ApiError.of(501, `${what} is not supported on ${provider}.`, "errors/feature_not_implemented");
const unprocessable = (detail: string, slug = "errors/unprocessable_entity") => ApiError.of(422, detail, slug);

type AddRoute = (method: string, pattern: string, handler: Route["handler"]) => void;

export function messageActionRoutes(w: World, route: AddRoute) {
  /** The message, its chat and the account's rules, once the account may act at all. */
  function target(id: string | undefined) {
    const m = w.requireMessage(id);
    const chat = w.requireChat(m.chat_id);
    const account = w.store.account(chat.account_id)!;
    if (w.faults.actionFailStatus) throw ApiError.of(w.faults.actionFailStatus, "Injected failure of a message action.");
    if (account.status !== "OK")
      throw ApiError.of(401, `The account is ${account.status}; reconnect it.`, "errors/disconnected_account");
    if (m.is_event) throw unprocessable("System events cannot be acted on.");
    if (m.deleted) throw unprocessable("The message is deleted.", "errors/invalid_message");
    return { m, chat, rules: RULES[account.type], provider: account.type };
  }
  const own = (m: SimMessage) => {
    if (!m.is_sender)
      throw ApiError.of(403, "Only the account's own messages can be changed.", "errors/insufficient_permissions");
  };
  const writable = (chat: SimChat, feature: "reactions" | "reply") => {
    if (chat.read_only) throw unprocessable("This chat is read-only.");
    if (chat.disabledFeatures?.includes(feature))
      throw ApiError.of(403, `The provider disabled ${feature} in this chat.`, "errors/insufficient_permissions");
  };

  // Sets (or, with an empty value, removes) the account's own reaction. The reference names the
  // field `reaction`; `value` (the REST reactions[] name) is accepted too.
  route("POST", "/api/v1/messages/:id/reaction", async (ctx) => {
    const { m, chat, rules, provider } = target(ctx.params[0]);
    const body = await readJson(ctx);
    const raw = body.reaction ?? body.value;
    if (typeof raw !== "string")
      throw ApiError.of(400, "reaction is required (an emoji, or empty to remove yours).", "errors/missing_parameters");
    const value = raw.trim();
    if ([...value].length > 8) throw badParam("reaction must be one emoji.");
    writable(chat, "reactions");
    if (!value && !rules.unreact) throw notImplemented("Removing a reaction", provider);
    w.apply({ op: "reaction", message_id: m.id, from_me: true, value });
    return ok({ object: "MessageReactionAdded" });
  });

  route("PATCH", "/api/v1/messages/:id", async (ctx) => {
    const { m, chat, rules, provider } = target(ctx.params[0]);
    const body = await readJson(ctx);
    own(m);
    if (!rules.edit) throw notImplemented("Editing a message", provider);
    if (typeof body.text !== "string" || body.text.trim() === "")
      throw ApiError.of(400, "text is required.", "errors/missing_parameters");
    writable(chat, "reply");
    w.apply({ op: "edit", message_id: m.id, text: body.text });
    return ok({ object: "MessageEdited" });
  });

  route("DELETE", "/api/v1/messages/:id", (ctx) => {
    const { m, rules, provider } = target(ctx.params[0]);
    own(m);
    const minutes = rules.deleteWithinMinutes;
    if (minutes !== undefined && w.store.wall() - Date.parse(m.timestamp) > minutes * 60_000)
      throw unprocessable(`${provider} messages can be deleted only within ${minutes} minutes of sending.`);
    w.apply({ op: "delete", message_id: m.id });
    return ok({ object: "MessageDeleted" });
  });

  // Forwarding copies the message (text and files) into another chat of the same account; the new
  // message echoes as message_received with is_forwarded.
  route("POST", "/api/v1/messages/:id/forward", async (ctx) => {
    const { m, rules, provider } = target(ctx.params[0]);
    const body = await readJson(ctx);
    if (!rules.forward) throw notImplemented("Forwarding", provider);
    if (typeof body.chat_id !== "string" || !body.chat_id)
      throw ApiError.of(400, "chat_id is required.", "errors/missing_parameters");
    const to = w.requireChat(body.chat_id);
    if (to.account_id !== m.account_id) throw ApiError.of(403, "The chat belongs to another account.", "errors/account_mismatch");
    writable(to, "reply");
    const { message } = w.apply({ op: "forward", message_id: m.id, chat_id: to.id });
    return ok({ object: "MessageForwarded", message_id: message!.id }, 201);
  });
}

/** The forward operation itself (world.ts runs it): our new message in `chat_id` with the original's text and files. */
export function forwardOp(w: World, op: { message_id: string; chat_id: string }): SimMessage {
  const m = w.requireMessage(op.message_id);
  const chat = w.requireChat(op.chat_id);
  const attachments = m.attachments.map((a) => {
    const file = w.store.files.get(a.id);
    return file ? w.store.attach({ ...file, size: a.size }, { sticker: a.sticker }) : a;
  });
  return w.ownSend(chat, { text: m.text, attachments }, { is_forwarded: true });
}
