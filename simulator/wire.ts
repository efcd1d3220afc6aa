// The REST wire shapes of the simulator's objects (what GET answers), in one place.
import type { SimAccount, SimAttendee, SimChat, SimMessage, SimStore } from "./data.ts";
import type { SimWebhook } from "./webhooks.ts";

export function wireChat(c: SimChat) {
  const out: Record<string, unknown> = { object: "Chat" };
  for (const [k, v] of Object.entries(c)) if (!k.startsWith("_") && v !== undefined) out[k] = v;
  out.unread = c.unread_count > 0 ? 1 : 0;
  return out;
}
export const wireMessage = (m: SimMessage) => ({ object: "Message", ...m });
export const wireAttendee = (a: SimAttendee) => ({ object: "ChatAttendee", ...a });
export const wireAccount = (a: SimAccount) => ({
  object: "Account",
  id: a.id,
  name: a.name,
  type: a.type,
  created_at: a.created_at,
  connection_params: a.connection_params,
  groups: [],
  sources: [{ id: `${a.id}_MESSAGING`, status: a.status }],
});
export const wireWebhook = (store: SimStore) => (h: SimWebhook) => ({
  object: "Webhook",
  id: h.id,
  type: "AUTO",
  source: h.source,
  name: h.name,
  request_url: h.request_url,
  format: h.format,
  enabled: h.enabled,
  headers: h.headers,
  data: h.data,
  ...(h.events ? { events: h.events } : {}),
  account_ids: h.account_ids.map((id) => {
    const a = store.account(id);
    return { id, ...(a ? { name: a.name, type: a.type } : { type: "LINKEDIN" }) };
  }),
});
