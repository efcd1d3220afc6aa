// Hostile text in tRPC input: a NUL byte or a lone surrogate in any string of any procedure's input is
// a 400 with a sentence (PostgreSQL would refuse it with a raw 500), and nothing stored changes. The
// procedures come from the router itself, so a new one is covered without editing this file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { TRPCError } from "@trpc/server";
import type { SessionUser } from "@/server/access.ts";
import { appRouter } from "@/server/api/root.ts";
import { db } from "@/server/db.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { trpcHttp as http } from "@test/support/trpc.ts";
import { apiAs, seedAdminAndAgent } from "@test/support/users.ts";

let testDb: TestDatabase;
let admin: SessionUser;
let chatId: string;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  await db.account.create({ data: { id: "acc_a", provider: "WHATSAPP", name: "A" } });
  chatId = (await db.chat.create({ data: { unipileId: "u_c", accountId: "acc_a", name: "Chat" } })).id;
  ({ admin } = await seedAdminAndAgent({ agentAccounts: ["acc_a"] }));
});
afterAll(() => testDb?.close());

type Def = { type: string; inputs: z.ZodType[] };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: Def }>).map(([path, p]) => ({ path, def: p._def }));

/** The string fields of a procedure's input objects (unwrapping optional, nullish and defaults). */
function stringFields(def: Def): string[] {
  const isString = (s: z.ZodType): boolean => {
    if (s instanceof z.ZodString) return true;
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) return isString(s.unwrap() as z.ZodType);
    if (s instanceof z.ZodPipe) return isString(s.in as z.ZodType);
    return false;
  };
  return def.inputs.flatMap((i) => (i instanceof z.ZodObject ? Object.entries(i.shape).filter(([, s]) => isString(s as z.ZodType)).map(([k]) => k) : []));
}

const withStrings = procedures.map((p) => ({ ...p, fields: stringFields(p.def) })).filter((p) => p.fields.length > 0);

async function callAsAdmin(path: string, input: unknown) {
  const [ns, name] = path.split(".") as [string, string];
  const caller = apiAs(admin) as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>;
  return caller[ns]![name]!(input);
}

const snapshot = async () => ({
  users: await db.user.findMany({ orderBy: { id: "asc" } }),
  chats: await db.chat.findMany({ orderBy: { id: "asc" } }),
  messages: await db.message.count(),
  grants: await db.accountGrant.count(),
});

describe("NUL bytes and broken Unicode in tRPC input", () => {
  it("covers the router's procedures with string input", () => {
    expect(withStrings.map((p) => p.path)).toEqual(expect.arrayContaining(["chat.get", "chat.list", "message.list", "webhook.get", "user.add"]));
  });

  for (const bad of [{ label: "a NUL byte", text: "a\u0000b" }, { label: "a lone surrogate", text: "a\uD800b" }]) {
    it(`refuses ${bad.label} in every string field of every procedure with BAD_REQUEST and a sentence`, async () => {
      const before = await snapshot();
      for (const p of withStrings) {
        for (const field of p.fields) {
          const err = await callAsAdmin(p.path, { chatId, accountId: "acc_a", [field]: bad.text }).then(
            () => null,
            (e: unknown) => e,
          );
          expect(err, `${p.path}.${field}`).toBeInstanceOf(TRPCError);
          expect((err as TRPCError).code, `${p.path}.${field}`).toBe("BAD_REQUEST");
          expect((err as TRPCError).message, `${p.path}.${field}`).toBe(`Text may not contain NUL characters or broken Unicode (in ${field}).`);
        }
      }
      expect(await snapshot()).toEqual(before);
    });
  }

  it("answers chat.get with a NUL over HTTP as a 400 with the sentence, not Prisma's text", async () => {
    const res = await http("chat.get", admin, { chatId: "a\u0000b" });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.json.message).toBe("Text may not contain NUL characters or broken Unicode (in chatId).");
    expect(JSON.stringify(body)).not.toMatch(/prisma|invalid byte sequence/i);
  });

  it("still accepts ordinary Unicode (emoji are surrogate pairs)", async () => {
    await expect(callAsAdmin("search.messages", { query: "😀 café" })).resolves.toBeDefined();
  });
});

describe("webhook ids beyond PostgreSQL's bigint", () => {
  it("answers webhook.get and webhook.replay for 9223372036854775808 with 400, and the largest bigint with 404", async () => {
    const res = await http("webhook.get", admin, { id: "9223372036854775808" });
    expect(res.status).toBe(400);
    expect((await res.json()).error.json.message).toMatch(/Not a webhook event id/);
    const replay = await http("webhook.replay", admin, { id: "99999999999999999999" }, "POST");
    expect(replay.status).toBe(400);
    expect((await http("webhook.get", admin, { id: "9223372036854775807" })).status).toBe(404);
  });
});
