// The inbox's state lives in the URL (shareable, survives reloads, back button works):
// ?chat=&msg= (open chat, anchored message) &unread=1&account=&provider=&kind= (list filters)
// &archived=1 (the Archived view) &q=&from=&to=&in=chat (search).
// &assignee=me|none|<user id> (team view; absent = everyone's) &state=snoozed|done (absent = open).
// Plain functions, shared by the server page (prefetch) and the client (useInboxParams).
export type InboxParams = {
  chat: string | null;
  msg: string | null;
  unread: boolean;
  account: string | null;
  provider: string | null;
  kind: "single" | "group" | null;
  archived: boolean;
  q: string;
  from: string | null;
  to: string | null;
  inChat: boolean;
  assignee: string | null;
  state: WorkView;
};

export type WorkView = "open" | "snoozed" | "done";

export function parseInboxParams(sp: URLSearchParams | Record<string, string | string[] | undefined>): InboxParams {
  const get = (k: string) => {
    const v = sp instanceof URLSearchParams ? sp.get(k) : sp[k];
    const s = Array.isArray(v) ? v[0] : v;
    return s && s.length > 0 ? s : null;
  };
  const kind = get("kind");
  const date = (k: string) => {
    const v = get(k);
    return v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null;
  };
  return {
    chat: get("chat"),
    msg: get("msg"),
    unread: get("unread") === "1",
    account: get("account"),
    provider: get("provider"),
    kind: kind === "single" || kind === "group" ? kind : null,
    archived: get("archived") === "1",
    q: get("q") ?? "",
    from: date("from"),
    to: date("to"),
    inChat: get("in") === "chat",
    assignee: get("assignee"),
    state: get("state") === "snoozed" ? "snoozed" : get("state") === "done" ? "done" : "open",
  };
}

/** The chat.list input for a set of params (the server page prefetches exactly this). */
export function chatListInput(p: InboxParams) {
  return {
    limit: 50,
    state: p.state,
    ...(p.assignee ? { assignee: p.assignee } : {}),
    ...(p.unread ? { unreadOnly: true } : {}),
    ...(p.account ? { accountId: p.account } : {}),
    ...(p.provider ? { provider: p.provider } : {}),
    ...(p.kind ? { kind: p.kind } : {}),
    ...(p.archived ? { archived: true } : {}),
  };
}
