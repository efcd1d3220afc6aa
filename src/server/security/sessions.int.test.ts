// Sessions that end (issue 12 #3) and the audit log of admin changes (#10).
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/access.ts";
import { createCaller } from "@/server/api/root.ts";
import { createContext } from "@/server/api/trpc.ts";
import { db } from "@/server/db.ts";
import { resetEnvForTests } from "@/server/env.ts";
import { publish } from "@/server/realtime/bus.ts";
import { createUser } from "@/server/services/user-service.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { pruneAudit } from "./audit.ts";
import { createSession, sessionUser } from "./sessions.ts";

let testDb: TestDatabase;
let admin: SessionUser;
let chatA: string;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  await db.account.create({ data: { id: "acc_a", provider: "WHATSAPP", name: "Sales" } });
  chatA = (await db.chat.create({ data: { unipileId: "ua", accountId: "acc_a", name: "A" } })).id;
  const a = await createUser({ email: "admin@example.com", password: "admin-password", role: "admin" });
  admin = { id: a.id, email: a.email, name: null, role: "admin", sessionId: await createSession(a.id, null) };
});
afterAll(() => testDb?.close());

const adminCaller = () => createCaller(createContext(admin));

async function agentWithSession(email: string) {
  const u = await createUser({ email, password: "agent-password", role: "agent", accountIds: ["acc_a"] });
  const sid = await createSession(u.id, null);
  return (await sessionUser(sid))!;
}

/** The newest stored event id: a stream opened with it misses nothing published afterwards. */
const lastId = async () => ((await db.realtimeEvent.findFirst({ orderBy: { id: "desc" } }))?.id ?? 0n).toString();

/** Reads a subscription until it ends; returns the events it carried and how it ended. */
async function drain(iterable: AsyncIterable<unknown>, onFirst: () => Promise<void>) {
  const got: unknown[] = [];
  try {
    for await (const item of iterable) {
      got.push(item);
      if (got.length === 1) await onFirst();
    }
    return { got, error: null };
  } catch (err) {
    return { got, error: err };
  }
}

describe("sessions that end", () => {
  it("a password reset ends every session of that user; another user's stay", async () => {
    const ana = await agentWithSession("ana@example.com");
    const second = await createSession(ana.id, null);
    await adminCaller().user.resetPassword({ userId: ana.id, password: "a-new-password" });
    expect(await sessionUser(ana.sessionId!)).toBeNull();
    expect(await sessionUser(second)).toBeNull();
    expect(await sessionUser(admin.sessionId!)).not.toBeNull();
    // The audit log records the change, never the password.
    const ev = await db.auditEvent.findFirstOrThrow({ where: { kind: "user.password" } });
    expect(ev).toMatchObject({ actorEmail: "admin@example.com", target: "ana@example.com" });
    expect(JSON.stringify({ ...ev, id: String(ev.id) })).not.toContain("a-new-password");
  });

  it("sign out everywhere ends the user's own sessions; an admin can do it for anyone", async () => {
    const bo = await agentWithSession("bo@example.com");
    const other = await createSession(bo.id, null);
    expect(await createCaller(createContext(bo)).security.signOutEverywhere()).toEqual({ ended: 2 });
    expect(await sessionUser(other)).toBeNull();

    const cy = await agentWithSession("cy@example.com");
    await adminCaller().security.endSessions({ userId: cy.id });
    expect(await sessionUser(cy.sessionId!)).toBeNull();
    expect(await db.auditEvent.count({ where: { kind: "auth.sign_out_everywhere" } })).toBe(2);
  });

  it("an open chat-list stream of a user who is disabled ends within seconds", async () => {
    const di = await agentWithSession("di@example.com");
    const started = Date.now();
    const stream = await createCaller(createContext(di)).realtime.chatList({ lastEventId: await lastId() });
    const result = drain(stream, async () => {
      await adminCaller().user.setDisabled({ userId: di.id, disabled: true });
    });
    await publish({ type: "chat.updated", accountId: "acc_a", chatId: chatA });
    const { got, error } = await result;
    expect(got).toHaveLength(1);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("UNAUTHORIZED");
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("an admin's open sync stream ends when they are demoted", async () => {
    const ed = await createUser({ email: "ed@example.com", password: "admin-password", role: "admin" });
    const edUser = (await sessionUser(await createSession(ed.id, null)))!;
    const stream = await createCaller(createContext(edUser)).realtime.sync({ lastEventId: await lastId() });
    const result = drain(stream, async () => {
      await adminCaller().user.setRole({ userId: ed.id, role: "agent" });
    });
    await publish({ type: "sync.progress", runId: "r1" });
    const { got, error } = await result;
    expect(got).toHaveLength(1);
    expect((error as TRPCError).code).toBe("UNAUTHORIZED");
    const role = await db.auditEvent.findFirstOrThrow({ where: { kind: "user.role" } });
    expect(role).toMatchObject({ actorEmail: "admin@example.com", target: "ed@example.com", details: { role: "agent" } });
  });

  it("an ended session's open stream ends too", async () => {
    const fa = await agentWithSession("fa@example.com");
    const stream = await createCaller(createContext(fa)).realtime.chatList({ lastEventId: await lastId() });
    const result = drain(stream, async () => {
      await createCaller(createContext(fa)).security.signOutEverywhere();
    });
    await publish({ type: "chat.updated", accountId: "acc_a", chatId: chatA });
    expect(((await result).error as TRPCError).code).toBe("UNAUTHORIZED");
  });
});

describe("audit log", () => {
  it("records grants, user changes and replays with who did them, readable by admins only", async () => {
    const gi = await agentWithSession("gi@example.com");
    await adminCaller().user.revoke({ userId: gi.id, accountId: "acc_a" });
    await adminCaller().user.grant({ userId: gi.id, accountId: "acc_a" });
    await adminCaller().user.add({ email: "new@example.com", password: "password-123", role: "agent" });
    const page = await adminCaller().security.audit({});
    const kinds = page.items.map((e) => e.kind);
    expect(kinds.slice(0, 3)).toEqual(["user.add", "user.grant", "user.revoke"]);
    expect(page.items[0]).toMatchObject({ actorEmail: "admin@example.com", target: "new@example.com", details: { role: "agent" } });
    expect(JSON.stringify(page.items[0])).not.toContain("password-123");
    await expect(createCaller(createContext(gi)).security.audit({})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("keeps events for AUDIT_RETENTION_DAYS", async () => {
    process.env.AUDIT_RETENTION_DAYS = "30";
    resetEnvForTests();
    try {
      const old = await db.auditEvent.create({ data: { kind: "test.old", at: new Date(Date.now() - 31 * 86_400_000) } });
      const recent = await db.auditEvent.create({ data: { kind: "test.recent", at: new Date(Date.now() - 29 * 86_400_000) } });
      expect(await pruneAudit()).toBe(1);
      expect(await db.auditEvent.findUnique({ where: { id: old.id } })).toBeNull();
      expect(await db.auditEvent.findUnique({ where: { id: recent.id } })).not.toBeNull();
    } finally {
      delete process.env.AUDIT_RETENTION_DAYS;
      resetEnvForTests();
    }
  });
});
