// The /api/v1 routes: Unipile's REST paths, shapes, errors and cursors over the world's data.
import { guessMimetype, makePortrait } from "./assets.ts";
import { chatStateOp } from "./chat-actions.ts";
import { hash, type SimMessage } from "./data.ts";
import { checkReachable, lookupProfile } from "./directory.ts";
import { ApiError, badParam, decodeCursor, newestFirst, notFound, ok, paginate, parseLimit, parseTime, readForm, readJson, routeTable } from "./http.ts";
import type { FileInput } from "./journal.ts";
import { messageActionRoutes } from "./message-routes.ts";
import type { SimWebhook } from "./webhooks.ts";
import { assertProductUp } from "./products.ts";
import { attendeeOut, chatOut, inId, lidOf, messageOut, personInLidForm, restInLidForm } from "./whatsapp-forms.ts";
import { wireAccount, wireAttendee, wireChat, wireMessage, wireWebhook } from "./wire.ts";
import type { World } from "./world.ts";

const MESSAGING_TYPES = ["WHATSAPP", "LINKEDIN", "SLACK", "TWITTER", "MESSENGER", "INSTAGRAM", "TELEGRAM"];

export function restRoutes(w: World) {
  const { routes, route } = routeTable();

  /** Uploaded files, attached by the operation that uses them (so a refused request draws no ids). */
  async function filesOf(form: FormData): Promise<FileInput[]> {
    const out: FileInput[] = [];
    for (const v of form.getAll("attachments")) {
      if (typeof v === "string") continue;
      out.push({ name: v.name || "file", mimetype: guessMimetype(v.name || "", v.type), bytes: new Uint8Array(await v.arrayBuffer()) });
    }
    return out;
  }

  route("GET", "/api/v1/accounts", ({ query }) => {
    const decoded = decodeCursor(query);
    return ok(paginate("AccountList", w.store.accounts, { limit: parseLimit(query, decoded?.limit), decoded, filters: {}, id: (a) => a.id }, wireAccount));
  });
  route("GET", "/api/v1/accounts/:id", ({ params }) => ok(wireAccount(w.requireAccount(params[0]))));

  route("GET", "/api/v1/chats", ({ query }) => {
    const decoded = decodeCursor(query);
    // With a cursor, the filters it carries win over the query (Unipile's cursor holds them).
    const src = decoded ?? Object.fromEntries(query);
    const before = decoded ? (src.before as string | undefined) : query.get("before") || undefined;
    const after = decoded ? (src.after as string | undefined) : query.get("after") || undefined;
    const f = {
      account_id: decoded ? (src.account_id as string[] | undefined) : query.get("account_id")?.split(",").filter(Boolean),
      account_type: (src.account_type as string | undefined) || undefined,
      unread: decoded ? (src.unread as boolean | undefined) : query.has("unread") ? (query.get("unread") as unknown as boolean) : undefined,
      before,
      after,
    };
    if (!decoded) {
      parseTime(query, "before");
      parseTime(query, "after");
      const u = query.get("unread");
      if (u !== null && u !== "true" && u !== "false") throw badParam("unread must be true or false.");
      f.unread = u === null ? undefined : u === "true";
    }
    if (f.account_type && !MESSAGING_TYPES.includes(f.account_type)) throw badParam(`account_type must be one of ${MESSAGING_TYPES.join(", ")}.`);
    const accounts = f.account_id?.length ? new Set(f.account_id) : undefined;
    const afterMs = after ? Date.parse(after) : undefined;
    const beforeMs = before ? Date.parse(before) : undefined;
    const items = [...w.store.chats.values()]
      .filter((c) => {
        if (accounts && !accounts.has(c.account_id)) return false;
        if (f.account_type && c.account_type !== f.account_type) return false;
        if (f.unread === true && c.unread_count === 0) return false;
        if (f.unread === false && c.unread_count > 0) return false;
        const t = c.timestamp ? Date.parse(c.timestamp) : undefined;
        if (afterMs !== undefined && (t === undefined || t <= afterMs)) return false;
        if (beforeMs !== undefined && (t === undefined || t >= beforeMs)) return false;
        return true;
      })
      .sort(newestFirst);
    const filters = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));
    return ok(paginate("ChatList", items, { limit: parseLimit(query, decoded?.limit), decoded, filters, id: (c) => c.id, date: (c) => c.timestamp }, (c) => chatOut(w.store, c, wireChat(c))));
  });

  route("GET", "/api/v1/chats/:id", ({ params, query }) => {
    const accountId = query.get("account_id");
    const store = w.store;
    const chat = store.chats.get(params[0]!) ?? (accountId ? [...store.chats.values()].find((c) => c.account_id === accountId && c.provider_id === inId(store, accountId, params[0]!)) : undefined);
    if (!chat) throw notFound("chat");
    const msgs = store.messagesOf(chat);
    const last = msgs[msgs.length - 1];
    return ok(chatOut(store, chat, { ...wireChat(chat), lastMessage: last ?? null }));
  });

  route("PATCH", "/api/v1/chats/:id", async (ctx) => {
    const chat = w.requireChat(ctx.params[0]);
    const body = await readJson(ctx);
    if (body.action !== "setReadStatus") {
      const op = chatStateOp(chat, body, Date.now());
      if (w.faults.chatActionFailStatus) throw ApiError.of(w.faults.chatActionFailStatus, "Injected chat action failure.");
      w.apply(op);
      return ok({ object: "ChatPatched" });
    }
    if (typeof body.value !== "boolean") throw badParam("value must be a boolean.");
    w.apply({ op: "readStatus", chat_id: chat.id, value: body.value });
    return ok({ object: "ChatPatched" });
  });

  const listMessages = (msgs: SimMessage[], query: URLSearchParams, extraFilters: Record<string, unknown> = {}) => {
    const decoded = decodeCursor(query);
    if (!decoded) {
      parseTime(query, "before");
      parseTime(query, "after");
    }
    const f = {
      before: (decoded ? decoded.before : query.get("before")) as string | undefined,
      after: (decoded ? decoded.after : query.get("after")) as string | undefined,
      sender_id: (decoded ? decoded.sender_id : query.get("sender_id")) as string | undefined,
    };
    const afterMs = f.after ? Date.parse(f.after) : undefined;
    const beforeMs = f.before ? Date.parse(f.before) : undefined;
    const items = msgs
      .filter((m) => {
        const t = Date.parse(m.timestamp);
        if (afterMs !== undefined && t <= afterMs) return false;
        if (beforeMs !== undefined && t >= beforeMs) return false;
        if (f.sender_id && m.sender_id !== f.sender_id && lidOf(m.sender_id) !== f.sender_id) return false;
        return true;
      })
      .sort(newestFirst);
    const filters = { ...extraFilters, ...Object.fromEntries(Object.entries(f).filter(([, v]) => v)) };
    return ok(paginate("MessageList", items, { limit: parseLimit(query, decoded?.limit), decoded, filters, id: (m) => m.id, date: (m) => m.timestamp }, (m) => messageOut(w.store, w.store.chats.get(m.chat_id), wireMessage(m))));
  };

  route("GET", "/api/v1/chats/:id/messages", ({ params, query }) => {
    const chat = w.requireChat(params[0]);
    if (w.faults.failingChatIds.includes(chat.id)) throw ApiError.of(500, "Injected failure for this chat.");
    return listMessages(w.store.messagesOf(chat), query);
  });

  route("POST", "/api/v1/chats/:id/messages", async (ctx) => {
    const chat = w.requireChat(ctx.params[0]);
    const form = await readForm(ctx);
    const account = w.store.account(chat.account_id)!;
    const accountId = form.get("account_id");
    if (typeof accountId === "string" && accountId && accountId !== chat.account_id)
      throw ApiError.of(403, "The chat does not belong to this account.", "errors/account_mismatch");
    w.checkSendable(account);
    assertProductUp(account, chat);
    if (chat.read_only) throw ApiError.of(422, "This chat is read-only.");
    const text = form.get("text");
    const attachments = await filesOf(form);
    if ((typeof text !== "string" || text === "") && attachments.length === 0) throw ApiError.of(400, "text or attachments is required.", "errors/missing_parameters");
    const quoteId = form.get("quote_id");
    const quote_id = typeof quoteId === "string" && quoteId ? quoteId : undefined;
    if (quote_id && w.store.getMessage(quote_id)?.chat_id !== chat.id) throw badParam("quote_id does not match a message of this chat.");
    const { message } = w.apply({ op: "send", chat_id: chat.id, text: typeof text === "string" && text !== "" ? text : null, attachments, quote_id });
    return ok({ object: "MessageSent", message_id: w.faults.nullMessageIds ? null : message!.id }, 201);
  });

  route("POST", "/api/v1/chats", async (ctx) => {
    const store = w.store;
    const form = await readForm(ctx);
    const account = w.requireAccount(form.get("account_id"));
    // Either WhatsApp form names the person (whatsapp-forms.ts).
    const ids = form
      .getAll("attendees_ids")
      .filter((v): v is string => typeof v === "string" && v !== "")
      .map((id) => inId(store, account.id, id));
    if (ids.length === 0) throw ApiError.of(400, "attendees_ids is required.", "errors/missing_parameters");
    // A chat needs someone besides the account (its own id is listed among the account's attendees).
    if (ids.includes(store.selfOf(account).provider_id)) throw badParam("attendees_ids names the account's own user.");
    w.checkSendable(account);
    const text = form.get("text");
    const subject = form.get("subject");
    const api = form.get("linkedin[api]");
    const inmail = form.get("linkedin[inmail]") === "true";
    if ((api !== null || inmail) && account.type !== "LINKEDIN") throw badParam("linkedin options are for LinkedIn accounts only.");
    if (api !== null && !["classic", "recruiter", "sales_navigator"].includes(String(api))) throw badParam("linkedin[api] must be classic, recruiter or sales_navigator.");
    checkReachable(account, ids, inmail);
    const attachments = await filesOf(form);
    const { chat, message } = w.apply({
      op: "start",
      account_id: account.id,
      attendees_ids: ids,
      text: typeof text === "string" && text !== "" ? text : null,
      subject: typeof subject === "string" && subject ? subject : null,
      attachments,
      ...(inmail ? { inmail } : {}),
    });
    return ok({ object: "ChatStarted", chat_id: chat!.id, message_id: message && !w.faults.nullMessageIds ? message.id : null }, 201);
  });

  // Profile lookup: a LinkedIn public identifier or member id, a WhatsApp number (REFERENCE.md §8).
  route("GET", "/api/v1/users/:id", ({ params, query }) => ok(lookupProfile(w.store, w.requireAccount(query.get("account_id")), params[0]!)));

  route("GET", "/api/v1/chats/:id/attendees", ({ params }) => {
    const chat = w.requireChat(params[0]);
    // No cursor on this list (as in the SDK's schema): clients must treat a missing cursor as the end.
    return ok({ object: "ChatAttendeeList", items: w.store.attendeesOf(chat).map((a) => wireAttendee(attendeeOut(w.store, a, restInLidForm(chat)))) });
  });

  route("GET", "/api/v1/chat_attendees", ({ query }) => {
    const decoded = decodeCursor(query);
    const accountId = (decoded?.account_id as string | undefined) ?? query.get("account_id") ?? undefined;
    const items = [...w.store.attendees.values()].filter((a) => !accountId || a.account_id === accountId);
    return ok(paginate("ChatAttendeeList", items, { limit: parseLimit(query, decoded?.limit), decoded, filters: accountId ? { account_id: accountId } : {}, id: (a) => a.id }, (a) => wireAttendee(attendeeOut(w.store, a, personInLidForm(a)))));
  });
  route("GET", "/api/v1/chat_attendees/:id", ({ params }) => {
    const a = w.store.attendees.get(params[0]!);
    if (!a) throw notFound("attendee");
    return ok(wireAttendee(attendeeOut(w.store, a, personInLidForm(a))));
  });
  route("GET", "/api/v1/chat_attendees/:id/picture", ({ params }) => {
    const a = w.store.attendees.get(params[0]!);
    // Group chats (a chat id) have no picture here, nor do people without one.
    if (!a?.picture_url) throw notFound(w.store.chats.has(params[0]!) ? "chat picture" : "attendee picture");
    return { status: 200, bytes: makePortrait(hash(a.provider_id) % 360), contentType: "image/png" };
  });

  route("GET", "/api/v1/messages", ({ query }) => {
    const decoded = decodeCursor(query);
    const accountId = (decoded?.account_id as string | undefined) ?? query.get("account_id") ?? undefined;
    const all: SimMessage[] = [];
    for (const c of w.store.chats.values()) if (!accountId || c.account_id === accountId) all.push(...w.store.messagesOf(c));
    return listMessages(all, query, accountId ? { account_id: accountId } : {});
  });
  route("GET", "/api/v1/messages/:id", ({ params }) => {
    const m = w.requireMessage(params[0]);
    return ok(messageOut(w.store, w.store.chats.get(m.chat_id), wireMessage(m)));
  });
  route("GET", "/api/v1/messages/:id/attachments/:id", ({ params }) => {
    const m = w.requireMessage(params[0]);
    const att = m.attachments.find((a) => a.id === params[1]);
    const file = att && w.store.files.get(att.id);
    if (!file) throw notFound("attachment");
    return { status: 200, bytes: file.bytes, contentType: file.mimetype };
  });

  messageActionRoutes(w, route);

  route("GET", "/api/v1/webhooks", ({ query }) => {
    const decoded = decodeCursor(query);
    const items = [...w.webhooks.hooks.values()];
    return ok(paginate("WebhookList", items, { limit: parseLimit(query, decoded?.limit), decoded, filters: {}, id: (h) => h.id }, wireWebhook(w.store)));
  });
  route("POST", "/api/v1/webhooks", async (ctx) => {
    const b = await readJson(ctx);
    if (typeof b.request_url !== "string" || !/^https?:\/\//.test(b.request_url)) throw badParam("request_url must be an http(s) URL.");
    if (!["messaging", "account_status", "email", "email_tracking", "users"].includes(String(b.source))) throw badParam("source is invalid.");
    const headers = Array.isArray(b.headers) ? b.headers : [];
    if (!headers.every((h) => h && typeof h.key === "string" && typeof h.value === "string")) throw badParam("headers must be [{key, value}].");
    const hook: Omit<SimWebhook, "id"> = {
      request_url: b.request_url,
      source: String(b.source),
      name: typeof b.name === "string" ? b.name : undefined,
      format: b.format === "form" ? "form" : "json",
      headers,
      events: Array.isArray(b.events) ? b.events.map(String) : undefined,
      account_ids: Array.isArray(b.account_ids) ? b.account_ids.map(String) : [],
      enabled: b.enabled !== false,
      data: Array.isArray(b.data) ? b.data : [],
    };
    return ok({ object: "WebhookCreated", webhook_id: w.apply({ op: "hookCreate", hook }).hookId }, 201);
  });
  route("DELETE", "/api/v1/webhooks/:id", ({ params }) => {
    if (!w.webhooks.hooks.has(params[0]!)) throw notFound("webhook");
    w.apply({ op: "hookDelete", id: params[0]! });
    return ok({ object: "WebhookDeleted" });
  });

  return routes;
}
