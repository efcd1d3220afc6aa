import { describe, expect, it } from "vitest";
import { chatListInput, parseInboxParams } from "./inbox-params.ts";

describe("parseInboxParams", () => {
  it("reads every param from a URL, the same from the server's record as from the browser's URLSearchParams", () => {
    const qs =
      "chat=c1&msg=m9&unread=1&account=acc_wa&provider=WHATSAPP&kind=group&archived=1&q=budget&from=2025-03-01&to=2025-03-31&in=chat";
    const expected = {
      chat: "c1",
      msg: "m9",
      unread: true,
      account: "acc_wa",
      provider: "WHATSAPP",
      kind: "group",
      archived: true,
      q: "budget",
      from: "2025-03-01",
      to: "2025-03-31",
      inChat: true,
      assignee: null,
      state: "open",
    };
    expect(parseInboxParams(new URLSearchParams(qs))).toEqual(expected);
    expect(parseInboxParams(Object.fromEntries(new URLSearchParams(qs)))).toEqual(expected);
  });

  it("gives the plain inbox for no params and treats empty values as absent", () => {
    const plain = {
      chat: null,
      msg: null,
      unread: false,
      account: null,
      provider: null,
      kind: null,
      archived: false,
      q: "",
      from: null,
      to: null,
      inChat: false,
      assignee: null,
      state: "open",
    };
    expect(parseInboxParams(new URLSearchParams(""))).toEqual(plain);
    expect(parseInboxParams(new URLSearchParams("chat=&q=&account="))).toEqual(plain);
  });

  it("ignores values a hand-edited URL could carry: unknown kinds, malformed dates, unread other than 1", () => {
    const p = parseInboxParams(new URLSearchParams("kind=channel&from=yesterday&to=2025-3-1&unread=true&in=all"));
    expect(p).toMatchObject({ kind: null, from: null, to: null, unread: false, inChat: false });
  });

  it("takes the first of repeated values (Next gives arrays for them)", () => {
    expect(parseInboxParams({ chat: ["c1", "c2"], q: ["first", "second"] })).toMatchObject({ chat: "c1", q: "first" });
  });
});

describe("team views", () => {
  it("reads the assignee and the work state, open unless snoozed or done", () => {
    expect(parseInboxParams(new URLSearchParams("assignee=me&state=done"))).toMatchObject({ assignee: "me", state: "done" });
    expect(parseInboxParams(new URLSearchParams("state=archived"))).toMatchObject({ assignee: null, state: "open" });
    expect(chatListInput(parseInboxParams(new URLSearchParams("assignee=none&state=snoozed")))).toEqual({ limit: 50, state: "snoozed", assignee: "none" });
  });
});

describe("chatListInput", () => {
  it("is exactly what the server page prefetches: only the filters that are set", () => {
    expect(chatListInput(parseInboxParams(new URLSearchParams("")))).toEqual({ limit: 50, state: "open" });
    expect(
      chatListInput(parseInboxParams(new URLSearchParams("unread=1&account=a&provider=P&kind=single&archived=1&q=x"))),
    ).toEqual({
      limit: 50,
      state: "open",
      unreadOnly: true,
      accountId: "a",
      provider: "P",
      kind: "single",
      archived: true,
    });
  });
});
