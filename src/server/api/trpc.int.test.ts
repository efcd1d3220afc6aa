import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/access.ts";
import { db } from "@/server/db.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { trpcHttp as http } from "@test/support/trpc.ts";
import { seedAdminAndAgent } from "@test/support/users.ts";
import { errorMessage } from "@/lib/error-message.ts";
import { createCaller } from "./root.ts";
import { createContext } from "./trpc.ts";

let testDb: TestDatabase;
let admin: SessionUser;
let agent: SessionUser;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  await db.account.createMany({
    data: [
      { id: "acc_granted", provider: "WHATSAPP", name: "Sales WhatsApp" },
      { id: "acc_other", provider: "LINKEDIN", name: "CEO LinkedIn" },
    ],
  });
  await db.chat.createMany({
    data: [
      { unipileId: "c1", accountId: "acc_granted", name: "Granted chat", lastMessageAt: new Date("2025-01-02") },
      { unipileId: "c2", accountId: "acc_other", name: "Hidden chat", lastMessageAt: new Date("2025-01-03") },
    ],
  });
  ({ admin, agent } = await seedAdminAndAgent({ agentAccounts: ["acc_granted"], adminEmail: "Boss@Example.com" }));
});
afterAll(() => testDb?.close());


describe("the procedure ladder", () => {
  it("answers 401 to a call without a session", async () => {
    const res = await http("chat.list", null, {});
    expect(res.status).toBe(401);
    expect((await res.json()).error.json.data.code).toBe("UNAUTHORIZED");
  });

  it("answers 403 to an agent asking for an account it is not granted", async () => {
    const res = await http("chat.list", agent, { accountId: "acc_other" });
    expect(res.status).toBe(403);
  });

  it("answers 403 to an agent calling an admin procedure", async () => {
    const res = await http("user.list", agent);
    expect(res.status).toBe(403);
  });

  it("lets an admin see every account's chats, newest first", async () => {
    const page = await createCaller(createContext(admin)).chat.list({});
    expect(page.items.map((c) => c.name)).toEqual(["Hidden chat", "Granted chat"]);
  });

  it("shows an agent only the chats of granted accounts", async () => {
    const page = await createCaller(createContext(agent)).chat.list({});
    expect(page.items.map((c) => c.name)).toEqual(["Granted chat"]);
    const accounts = await createCaller(createContext(agent)).account.list();
    expect(accounts.map((a) => a.id)).toEqual(["acc_granted"]);
  });

  it("lets an admin grant and revoke accounts, which changes what the agent sees", async () => {
    const adminApi = createCaller(createContext(admin));
    const agentApi = createCaller(createContext(agent));
    await adminApi.user.grant({ userId: agent.id, accountId: "acc_other" });
    expect((await agentApi.chat.list({})).items).toHaveLength(2);
    await adminApi.user.revoke({ userId: agent.id, accountId: "acc_other" });
    expect((await agentApi.chat.list({})).items).toHaveLength(1);
  });
});

describe("user administration", () => {
  it("rejects a duplicate email with a conflict, case-insensitively", async () => {
    await expect(
      createCaller(createContext(admin)).user.add({ email: "boss@example.com", password: "password-3", role: "agent" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("refuses to demote the last active admin", async () => {
    await expect(
      createCaller(createContext(admin)).user.setRole({ userId: admin.id, role: "agent" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("lets only one of two concurrent demotions of the last two admins through", async () => {
    const api = createCaller(createContext(admin));
    const second = await api.user.add({ email: "second-admin@example.com", password: "password-4", role: "admin" });
    const results = await Promise.allSettled([
      api.user.setRole({ userId: admin.id, role: "agent" }),
      api.user.setRole({ userId: second.id, role: "agent" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT" } });
    expect(await db.user.count({ where: { role: "admin", disabled: false } })).toBe(1);
    // The same for disabling: the one admin left cannot be disabled.
    const [left] = await db.user.findMany({ where: { role: "admin" }, select: { id: true } });
    await expect(api.user.setDisabled({ userId: left!.id, disabled: true })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("answers a too-short password reset with a sentence, not zod's issue list, and keeps the password", async () => {
    const before = await db.user.findUniqueOrThrow({ where: { id: agent.id }, select: { passwordHash: true } });
    const res = await http("user.resetPassword", admin, { userId: agent.id, password: "short" }, "POST");
    expect(res.status).toBe(400);
    const error = (await res.json()).error.json;
    expect(error.message).toBe("Password must be at least 8 characters.");
    expect(error.data.zodError.fieldErrors.password).toEqual(["Password must be at least 8 characters"]);
    // What the admin page's toast shows for this error.
    expect(errorMessage(error)).toBe("Password must be at least 8 characters.");
    expect(await db.user.findUniqueOrThrow({ where: { id: agent.id }, select: { passwordHash: true } })).toEqual(before);
  });

  it("refuses a grant to an unknown user with 404 and a sentence, not the database's message", async () => {
    const res = await http("user.grant", admin, { userId: "no-such-user", accountId: "acc_granted" }, "POST");
    expect(res.status).toBe(404);
    const error = (await res.json()).error.json;
    expect(error.message).toBe("There is no such user or account. Reload the page.");
    expect(JSON.stringify(error)).not.toMatch(/prisma|constraint|foreign/i);
    expect(await db.accountGrant.count({ where: { userId: "no-such-user" } })).toBe(0);
  });

  it("stores passwords hashed, never in clear", async () => {
    const row = await db.user.findUniqueOrThrow({ where: { email: "agent@example.com" } });
    expect(row.passwordHash).not.toContain("password-2");
    expect(row.passwordHash).toMatch(/^\$2[aby]\$/);
  });
});
