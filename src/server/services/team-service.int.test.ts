// Team work through the tRPC API as people call it: assignment (only to someone with access), done /
// reopen, snooze, bulk all-or-nothing, one activity row per change, chat.updated for each, the views
// of chat.list, auto-assign on reply, and assignments cleared when a grant is revoked.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { subscribe } from "@/server/realtime/bus.ts";
import { createUser } from "@/server/services/user-service.ts";
import type { SessionUser } from "@/server/access.ts";
import { seededInbox } from "@test/support/inbox-seed.ts";
import { trpcHttp } from "@test/support/trpc.ts";
import { apiAs as api } from "@test/support/users.ts";
import { sendMessage } from "./send-service.ts";

const inbox = seededInbox();

const activity = (chatId: string) =>
  db.chatActivity.findMany({ where: { chatId }, orderBy: { id: "asc" }, select: { kind: true, actorId: true, details: true } });
const work = (chatId: string) =>
  db.chat.findUniqueOrThrow({
    where: { id: chatId },
    select: { assigneeId: true, workState: true, doneAt: true, snoozedUntil: true, snoozeUntilReply: true, wokenAt: true },
  });

async function reset() {
  await db.chatActivity.deleteMany();
  await db.chat.updateMany({
    data: { assigneeId: null, workState: "open", doneAt: null, snoozedUntil: null, snoozeUntilReply: false, wokenAt: null },
  });
}

/** Collects the chat.updated events published while `fn` runs (the bus listens before it starts). */
async function updatesDuring(fn: () => Promise<unknown>) {
  const controller = new AbortController();
  const ids: string[] = [];
  const stream = await subscribe((e) => e.type === "chat.updated", { signal: controller.signal });
  const reading = (async () => {
    for await (const item of stream) if ("chatId" in item.event && item.event.chatId) ids.push(item.event.chatId);
  })();
  await fn();
  // A marker published last: when it arrives, everything published before it has arrived too.
  const { publish } = await import("@/server/realtime/bus.ts");
  await publish({ type: "chat.updated", accountId: "acc_wa", chatId: "marker" });
  while (!ids.includes("marker")) await new Promise((r) => setTimeout(r, 5));
  controller.abort();
  await reading;
  return ids.filter((i) => i !== "marker");
}

describe("assignment", () => {
  it("assigns a chat to a teammate with access, logs who did it and publishes chat.updated", async () => {
    await reset();
    const { unnamed } = inbox.chats;
    const ids = await updatesDuring(() => api(inbox.admin).team.assign({ chatIds: [unnamed], assigneeId: inbox.agent.id }));
    expect(ids).toEqual([unnamed]);
    expect((await work(unnamed)).assigneeId).toBe(inbox.agent.id);
    expect(await activity(unnamed)).toEqual([
      { kind: "assigned", actorId: inbox.admin.id, details: { assigneeId: inbox.agent.id, previousId: null } },
    ]);
    // The same assignment again changes nothing and logs nothing.
    expect(await api(inbox.admin).team.assign({ chatIds: [unnamed], assigneeId: inbox.agent.id })).toEqual({ changed: 0 });
    await api(inbox.agent).team.assign({ chatIds: [unnamed], assigneeId: null });
    expect((await activity(unnamed)).map((a) => a.kind)).toEqual(["assigned", "unassigned"]);
  });

  it("refuses an assignee without access to the chat's account, and changes nothing", async () => {
    await reset();
    const outsider = await createUser({ email: "outsider@inbox.test", password: "password-3", role: "agent", accountIds: [] });
    await expect(api(inbox.admin).team.assign({ chatIds: [inbox.chats.unnamed], assigneeId: outsider.id })).rejects.toMatchObject(
      {
        code: "BAD_REQUEST",
        message: expect.stringMatching(/has no access to this chat's account/),
      },
    );
    // The agent has WhatsApp only: assigning them a WhatsApp chat and a LinkedIn chat together fails whole.
    await expect(
      api(inbox.admin).team.assign({ chatIds: [inbox.chats.unnamed, inbox.chats.secret], assigneeId: inbox.agent.id }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      api(inbox.admin).team.assign({ chatIds: [inbox.chats.unnamed], assigneeId: "no-such-user" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await work(inbox.chats.unnamed)).assigneeId).toBeNull();
    expect((await work(inbox.chats.secret)).assigneeId).toBeNull();
    expect(await db.chatActivity.count()).toBe(0);
  });

  it("lists as possible assignees only active users who can see every chosen chat", async () => {
    const names = async (chatIds: string[]) => (await api(inbox.admin).team.assignees({ chatIds })).map((u) => u.email);
    expect(await names([inbox.chats.unnamed])).toEqual(expect.arrayContaining(["admin@inbox.test", "agent@inbox.test"]));
    expect(await names([inbox.chats.unnamed])).not.toContain("outsider@inbox.test");
    expect(await names([inbox.chats.unnamed, inbox.chats.secret])).not.toContain("agent@inbox.test");
  });
});

describe("an agent and chats of an account not granted to it", () => {
  it("cannot assign, mark done, reopen, snooze or list assignees, alone or in a batch, and nothing changes", async () => {
    await reset();
    const a = api(inbox.agent).team;
    const hidden = [inbox.chats.secret];
    const mixed = [inbox.chats.unnamed, inbox.chats.secret];
    for (const chatIds of [hidden, mixed]) {
      await expect(a.assign({ chatIds, assigneeId: inbox.agent.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(a.done({ chatIds })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(a.reopen({ chatIds })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(a.snooze({ chatIds, until: new Date(Date.now() + 60_000), untilReply: false })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(a.assignees({ chatIds })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await work(inbox.chats.unnamed)).toMatchObject({ assigneeId: null, workState: "open" });
    expect(await db.chatActivity.count()).toBe(0);
  });

  it("gets NOT_FOUND for a chat that does not exist, and an empty batch is refused with a sentence", async () => {
    await expect(api(inbox.agent).team.done({ chatIds: [inbox.chats.unnamed, "gone"] })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const res = await trpcHttp("team.done", inbox.agent, { chatIds: [] }, "POST");
    expect(res.status).toBe(400);
    expect((await res.json()).error.json.message).toBe("Pick at least one chat.");
    expect((await work(inbox.chats.unnamed)).workState).toBe("open");
  });
});

describe("open, done and snoozed", () => {
  it("marks several chats done at once, one activity row and one chat.updated each, then reopens them", async () => {
    await reset();
    const chatIds = [inbox.chats.unnamed, inbox.chats.group];
    const ids = await updatesDuring(() => api(inbox.agent).team.done({ chatIds }));
    expect(ids.sort()).toEqual([...chatIds].sort());
    for (const id of chatIds) {
      expect(await work(id)).toMatchObject({ workState: "done", doneAt: expect.any(Date) });
      expect(await activity(id)).toEqual([{ kind: "done", actorId: inbox.agent.id, details: null }]);
    }
    await api(inbox.agent).team.reopen({ chatIds });
    expect(await work(inbox.chats.group)).toMatchObject({ workState: "open", doneAt: null });
    expect((await activity(inbox.chats.group)).map((a) => a.kind)).toEqual(["done", "reopened"]);
  });

  it("snoozes until a time or until they reply, and refuses a time in the past or no choice at all", async () => {
    await reset();
    const until = new Date(Date.now() + 3_600_000);
    await api(inbox.agent).team.snooze({ chatIds: [inbox.chats.unnamed], until, untilReply: false });
    expect(await work(inbox.chats.unnamed)).toMatchObject({ workState: "snoozed", snoozedUntil: until, snoozeUntilReply: false });
    await api(inbox.agent).team.snooze({ chatIds: [inbox.chats.group], until: null, untilReply: true });
    expect(await work(inbox.chats.group)).toMatchObject({ workState: "snoozed", snoozedUntil: null, snoozeUntilReply: true });
    expect(await activity(inbox.chats.group)).toEqual([
      { kind: "snoozed", actorId: inbox.agent.id, details: { until: null, untilReply: true } },
    ]);

    await expect(
      api(inbox.agent).team.snooze({ chatIds: [inbox.chats.group], until: new Date(Date.now() - 1000), untilReply: false }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Pick a time in the future to snooze until.",
    });
    await expect(
      api(inbox.agent).team.snooze({ chatIds: [inbox.chats.group], until: null, untilReply: false }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await work(inbox.chats.group)).toMatchObject({ snoozeUntilReply: true });
  });
});

describe("the list's views", () => {
  it("shows Mine, Unassigned, All and a teammate's, each in Open, Snoozed or Done", async () => {
    await reset();
    const { unnamed, group, secret } = inbox.chats;
    await api(inbox.admin).team.assign({ chatIds: [unnamed], assigneeId: inbox.agent.id });
    await api(inbox.admin).team.assign({ chatIds: [secret], assigneeId: inbox.admin.id });
    await api(inbox.admin).team.done({ chatIds: [secret] });
    await api(inbox.admin).team.snooze({ chatIds: [group], until: null, untilReply: true });
    const list = async (user: SessionUser, input: { assignee?: string; state?: "open" | "snoozed" | "done" }) =>
      (await api(user).chat.list({ limit: 50, ...input })).items.map((c) => c.id);
    expect(await list(inbox.agent, { assignee: "me", state: "open" })).toEqual([unnamed]);
    expect(await list(inbox.agent, { assignee: "none", state: "open" })).toEqual([]);
    expect(await list(inbox.agent, { assignee: "none", state: "snoozed" })).toEqual([group]);
    expect(await list(inbox.admin, { assignee: "me", state: "done" })).toEqual([secret]);
    expect(await list(inbox.admin, { assignee: inbox.agent.id, state: "open" })).toEqual([unnamed]);
    expect(await list(inbox.admin, { state: "open" })).toEqual([unnamed]);
    // An agent never sees another account's chats, whatever the view.
    expect(await list(inbox.agent, { assignee: inbox.admin.id, state: "done" })).toEqual([]);
    const row = (await api(inbox.admin).chat.list({ limit: 50, state: "open" })).items[0]!;
    expect(row.assignee).toEqual({ id: inbox.agent.id, name: null, email: "agent@inbox.test" });
  });
});

describe("replying", () => {
  const remote = { sendMessage: async () => ({ message_id: null }) };

  it("assigns an unassigned chat to whoever replied, and leaves an assigned one alone", async () => {
    await reset();
    await sendMessage(inbox.agent, { chatId: inbox.chats.unnamed, clientTxnId: "txn-team-0001", text: "On it" }, remote);
    expect((await work(inbox.chats.unnamed)).assigneeId).toBe(inbox.agent.id);
    expect(await activity(inbox.chats.unnamed)).toEqual([
      { kind: "assigned", actorId: inbox.agent.id, details: { assigneeId: inbox.agent.id, previousId: null, reason: "reply" } },
    ]);
    await sendMessage(inbox.admin, { chatId: inbox.chats.unnamed, clientTxnId: "txn-team-0002", text: "Me too" }, remote);
    expect((await work(inbox.chats.unnamed)).assigneeId).toBe(inbox.agent.id);
  });

  it("does not assign when the sender turned the preference off", async () => {
    await reset();
    await db.userPreference.create({ data: { userId: inbox.agent.id, autoAssignOnReply: false } });
    await sendMessage(inbox.agent, { chatId: inbox.chats.group, clientTxnId: "txn-team-0003", text: "Just a note" }, remote);
    expect((await work(inbox.chats.group)).assigneeId).toBeNull();
    expect(await db.chatActivity.count()).toBe(0);
    await db.userPreference.delete({ where: { userId: inbox.agent.id } });
  });
});

describe("revoking a grant", () => {
  it("clears that person's assignments on the account, logged with the admin as actor", async () => {
    await reset();
    const temp = await createUser({
      email: "temp@inbox.test",
      password: "password-4",
      role: "agent",
      accountIds: ["acc_wa", "acc_li"],
    });
    // Through updatesDuring too, so the assignment's own events have arrived before the revoke's are counted.
    await updatesDuring(() => api(inbox.admin).team.assign({ chatIds: [inbox.chats.unnamed, inbox.chats.secret], assigneeId: temp.id }));
    const ids = await updatesDuring(() => api(inbox.admin).user.revoke({ userId: temp.id, accountId: "acc_wa" }));
    expect(ids).toEqual([inbox.chats.unnamed]);
    expect((await work(inbox.chats.unnamed)).assigneeId).toBeNull();
    expect((await work(inbox.chats.secret)).assigneeId).toBe(temp.id); // still granted there
    expect((await activity(inbox.chats.unnamed)).at(-1)).toEqual({
      kind: "unassigned",
      actorId: inbox.admin.id,
      details: { previousId: temp.id, reason: "access revoked" },
    });
  });

  it("making an admin an agent clears their chats on accounts not granted to them; disabling clears all", async () => {
    await reset();
    const boss = await createUser({ email: "boss@inbox.test", password: "password-5", role: "admin", accountIds: ["acc_li"] });
    await updatesDuring(() => api(inbox.admin).team.assign({ chatIds: [inbox.chats.unnamed, inbox.chats.secret], assigneeId: boss.id }));
    const demoted = await updatesDuring(() => api(inbox.admin).user.setRole({ userId: boss.id, role: "agent" }));
    expect(demoted).toEqual([inbox.chats.unnamed]); // acc_wa: seen as an admin only
    expect((await work(inbox.chats.unnamed)).assigneeId).toBeNull();
    expect((await work(inbox.chats.secret)).assigneeId).toBe(boss.id);
    expect((await activity(inbox.chats.unnamed)).at(-1)).toEqual({
      kind: "unassigned",
      actorId: inbox.admin.id,
      details: { previousId: boss.id, reason: "made an agent" },
    });

    expect(await updatesDuring(() => api(inbox.admin).user.setDisabled({ userId: boss.id, disabled: true }))).toEqual([inbox.chats.secret]);
    expect((await work(inbox.chats.secret)).assigneeId).toBeNull();
    expect((await activity(inbox.chats.secret)).at(-1)).toMatchObject({ kind: "unassigned", details: { reason: "disabled" } });
    // Re-enabling assigns nothing back, and a role change that keeps access clears nothing.
    expect(await updatesDuring(() => api(inbox.admin).user.setDisabled({ userId: boss.id, disabled: false }))).toEqual([]);
  });
});
