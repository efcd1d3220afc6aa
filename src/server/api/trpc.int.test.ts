import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/access.ts";
import { db } from "@/server/db.ts";
import { createUser } from "@/server/services/user-service.ts";
import { trpcHttp as http } from "@test/support/trpc.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
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
  const a = await createUser({ email: "Boss@Example.com", password: "password-1", role: "admin" });
  const g = await createUser({ email: "agent@example.com", password: "password-2", role: "agent", accountIds: ["acc_granted"] });
  admin = { id: a.id, email: a.email, name: null, role: "admin" };
  agent = { id: g.id, email: g.email, name: null, role: "agent" };
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

  it("stores passwords hashed, never in clear", async () => {
    const row = await db.user.findUniqueOrThrow({ where: { email: "agent@example.com" } });
    expect(row.passwordHash).not.toContain("password-2");
    expect(row.passwordHash).toMatch(/^\$2[aby]\$/);
  });
});
