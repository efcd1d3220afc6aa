// The /_sim control API: make things happen (inbound messages, reactions, receipts, account status),
// inject faults, read stats and state, reset. JSON in, JSON out, no API key.
import { phoneChatStateOp } from "./chat-actions.ts";
import { type SimMessage, SOURCE_STATUSES, type SourceStatus } from "./data.ts";
import { badParam, notFound } from "./http.ts";
import { wireWebhook } from "./wire.ts";
import { type Faults, NO_FAULTS } from "./faults.ts";
import type { InboundInput, World } from "./world.ts";

export type ControlRoutes = Record<string, (body: Record<string, unknown>) => unknown>;

/** The own message a receipt is about: message_id, or the newest own message of chat_id. */
function ownTarget(w: World, b: Record<string, unknown>): SimMessage {
  if (b.message_id) return w.requireMessage(b.message_id);
  const chat = w.requireChat(b.chat_id);
  const m = [...w.store.messagesOf(chat)].reverse().find((x) => x.is_sender);
  if (!m) throw notFound("own message in this chat");
  return m;
}

export function controlRoutes(w: World, info: { apiKey: string; reset: (opts: { clearWebhooks: boolean }) => void }): ControlRoutes {
  return {
    "POST /_sim/inbound": (b) => {
      const m = w.apply(w.inboundOp(b as InboundInput)).message!;
      return { chat_id: m.chat_id, message_id: m.id };
    },
    "POST /_sim/reaction": (b) => {
      const m = w.requireMessage(b.message_id);
      const value = typeof b.value === "string" ? b.value : "👍";
      const sender_provider_id = typeof b.sender_provider_id === "string" ? b.sender_provider_id : undefined;
      if (b.from !== "me") w.counterpart(w.requireChat(m.chat_id));
      w.apply({ op: "reaction", message_id: m.id, from_me: b.from === "me", sender_provider_id, value });
      return { message_id: m.id, reactions: m.reactions };
    },
    "POST /_sim/edit": (b) => {
      const m = w.requireMessage(b.message_id);
      if (typeof b.text !== "string") throw badParam("text is required");
      w.apply({ op: "edit", message_id: m.id, text: b.text });
      return { message_id: m.id };
    },
    "POST /_sim/delete": (b) => {
      const m = w.requireMessage(b.message_id);
      w.apply({ op: "delete", message_id: m.id });
      return { message_id: m.id };
    },
    "POST /_sim/read": (b) => {
      const m = ownTarget(w, b);
      w.counterpart(w.requireChat(m.chat_id));
      w.apply({ op: "read", message_id: m.id });
      return { message_id: m.id };
    },
    "POST /_sim/delivered": (b) => {
      const m = ownTarget(w, b);
      w.apply({ op: "delivered", message_id: m.id });
      return { message_id: m.id };
    },
    /** Archived, pinned or muted elsewhere (on the phone): changes the chat's fields, sends no webhook. */
    "POST /_sim/chat-state": (b) => {
      const chat = w.apply(phoneChatStateOp(w.requireChat(b.chat_id), b)).chat!;
      return { chat_id: chat.id, archived: chat.archived, pinned: chat.pinned, muted_until: chat.muted_until };
    },
    "POST /_sim/account-status": (b) => {
      const account = w.requireAccount(b.account_id);
      if (!SOURCE_STATUSES.includes(b.status as SourceStatus)) throw badParam(`status must be one of ${SOURCE_STATUSES.join(", ")}`);
      const product = typeof b.product === "string" && b.product.trim() ? b.product.trim() : undefined;
      if (product && account.type !== "LINKEDIN") throw badParam("product applies to LinkedIn accounts only");
      w.apply({ op: "accountStatus", account_id: account.id, status: b.status as SourceStatus, message: typeof b.message === "string" ? b.message : undefined, product });
      return { account_id: account.id, status: account.status, products: account.products ?? {} };
    },
    "GET /_sim/faults": () => w.faults,
    "POST /_sim/faults": (b) => {
      for (const k of Object.keys(b)) if (!(k in NO_FAULTS)) throw badParam(`unknown fault "${k}"`);
      w.setFaults(b as Partial<Faults>);
      return w.faults;
    },
    "POST /_sim/reset": (b) => {
      info.reset({ clearWebhooks: b.clearWebhooks === true });
      return { ok: true };
    },
    "GET /_sim/stats": () => ({
      requests: Object.fromEntries([...w.requestStats].sort()),
      webhooks: { ...w.webhooks.stats, pending: w.webhooks.pending },
    }),
    "POST /_sim/stats/reset": () => {
      w.requestStats.clear();
      w.webhooks.resetStats();
      return { ok: true };
    },
    "GET /_sim/deliveries": () => w.webhooks.log,
    "GET /_sim/state": () => ({
      apiKey: info.apiKey,
      seed: w.opts.seed,
      accounts: w.store.accounts.map((a) => ({
        id: a.id,
        type: a.type,
        name: a.name,
        status: a.status,
        chats: [...w.store.chats.values()].filter((c) => c.account_id === a.id).length,
        heldWebhooks: w.held.get(a.id)?.length ?? 0,
      })),
      chats: w.store.chats.size,
      messages: w.store.countMessages(),
      webhooks: [...w.webhooks.hooks.values()].map(wireWebhook(w.store)),
      faults: w.faults,
      live: { enabled: w.live.enabled, intervalMs: w.live.intervalMs },
    }),
    "POST /_sim/live": (b) => {
      w.setLive(b.enabled !== false, typeof b.intervalMs === "number" ? b.intervalMs : w.live.intervalMs);
      return { enabled: w.live.enabled, intervalMs: w.live.intervalMs };
    },
  };
}
