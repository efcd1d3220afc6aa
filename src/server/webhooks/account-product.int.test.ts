// An account-status event naming one LinkedIn product marks that product, not the account: only the
// chats that go through it are blocked, with a sentence, and the rest of the account keeps working.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/unipile/route.ts";
import { can } from "@/lib/capabilities.ts";
import { db } from "@/server/db.ts";
import { resetEnvForTests } from "@/server/env.ts";
import { getChat } from "@/server/services/chat-service.ts";
import { type SendRemote, sendMessage } from "@/server/services/send-service.ts";
import { upsertAccounts } from "@/server/store/accounts.ts";
import { upsertChat } from "@/server/store/chats.ts";
import { accountHealth } from "@/server/sync/health.ts";
import { ChatSchema } from "@/server/unipile/schemas.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { apiAs, seedAdminAndAgent } from "@test/support/users.ts";
import { drainApplyQueue } from "./apply.ts";

const SECRET = "whsec-product-0123456789abcdef";
const ACC = "acc_li_product";
let testDb: TestDatabase;
let admin: Awaited<ReturnType<typeof seedAdminAndAgent>>["admin"];
let recruiterChat: { id: string; accountId: string };
let classicChat: { id: string; accountId: string };
const sent: string[] = [];
const remote: SendRemote = {
  async sendMessage(chatUnipileId) {
    sent.push(chatUnipileId);
    return { message_id: `msg_${sent.length}_${chatUnipileId}` };
  },
};

const chat = (id: string, folder: string[]) =>
  ChatSchema.parse({ id, account_id: ACC, account_type: "LINKEDIN", provider_id: `2-${id}`, name: id, type: 0, timestamp: "2026-11-30T10:00:00.000Z", unread_count: 0, archived: 0, read_only: 0, folder });

beforeAll(async () => {
  testDb = await setupTestDatabase();
  process.env.UNIPILE_WEBHOOK_SECRET = SECRET;
  resetEnvForTests();
  await upsertAccounts([{ id: ACC, name: "Aiko on LinkedIn", type: "LINKEDIN", sources: [{ id: "s", status: "OK" }] }]);
  recruiterChat = await upsertChat(chat("li_recruiter", ["INBOX", "INBOX_LINKEDIN_RECRUITER"]));
  classicChat = await upsertChat(chat("li_classic", ["INBOX", "INBOX_LINKEDIN_CLASSIC"]));
  ({ admin } = await seedAdminAndAgent({ agentAccounts: [ACC] }));
});
afterAll(() => testDb?.close());

async function status(fields: Record<string, unknown>) {
  const res = await POST(
    new Request("http://localhost/api/webhooks/unipile", {
      method: "POST",
      headers: { "x-webhook-secret": SECRET, "content-type": "application/x-www-form-urlencoded" },
      body: JSON.stringify({ AccountStatus: { account_id: ACC, account_type: "LINKEDIN", ...fields } }),
    }),
  );
  expect(res.status).toBe(200);
  await drainApplyQueue();
}

const account = () => db.account.findUniqueOrThrow({ where: { id: ACC }, select: { status: true, productStatuses: true } });
let n = 0;
const send = (chatId: string) => sendMessage(admin, { chatId, clientTxnId: `txn-product-${String(++n).padStart(4, "0")}`, text: `hello ${n}` }, remote);

describe("a status for one LinkedIn product", () => {
  it("blocks sends in that product's chats only, says why, and lifts when the product is OK again", async () => {
    await status({ message: "CREDENTIALS", account_status_specifics: { Product: "Recruiter" } });
    expect(await account()).toMatchObject({ status: "OK", productStatuses: { RECRUITER: { status: "CREDENTIALS", message: "CREDENTIALS" } } });

    const before = await db.message.count();
    await expect(send(recruiterChat.id)).rejects.toThrow(
      "Recruiter is not working on this account (credentials): reconnect Recruiter in Unipile to reply in this chat. The account's other chats still work.",
    );
    expect(await db.message.count()).toBe(before);
    expect(sent).toEqual([]);
    await send(classicChat.id);
    expect(sent).toEqual(["li_classic"]);

    // The thread and the capability table say the same.
    const detail = await getChat(recruiterChat);
    expect(detail.productIssue).toMatchObject({ product: "RECRUITER", label: "Recruiter", status: "CREDENTIALS" });
    expect(detail.accountHealthy).toBe(true);
    expect((await getChat(classicChat)).productIssue).toBeNull();
    expect(can("send", { provider: "LINKEDIN", accountStatus: "OK", productStatus: detail.productIssue?.status })).toBe(false);
    expect(can("markRead", { provider: "LINKEDIN", accountStatus: "OK", productStatus: detail.productIssue?.status })).toBe(true);
    // The admin's account health lists the product beside the account's own status.
    const health = (await accountHealth()).find((a) => a.id === ACC)!;
    expect(health).toMatchObject({ status: "OK", products: [{ key: "RECRUITER", label: "Recruiter", status: "CREDENTIALS" }] });
    expect((await apiAs(admin).sync.accounts()).find((a) => a.id === ACC)?.products).toHaveLength(1);

    await status({ message: "OK", account_status_specifics: { Product: "Recruiter" } });
    expect((await getChat(recruiterChat)).productIssue).toBeNull();
    await send(recruiterChat.id);
    expect(sent).toEqual(["li_classic", "li_recruiter"]);
  });

  it("accepts each spelling seen and keeps the account's own status apart", async () => {
    const spellings: [Record<string, unknown>, string][] = [
      [{ account_status_specifics: "Sales Navigator" }, "SALES_NAVIGATOR"],
      [{ account_status_specifics: { product: "sales_navigator" } }, "SALES_NAVIGATOR"],
      [{ Product: "RECRUITER" }, "RECRUITER"],
      [{ product: "LinkedIn Recruiter" }, "RECRUITER"],
      [{ Product: "SalesNavigator" }, "SALES_NAVIGATOR"],
    ];
    for (const [i, [fields, key]] of spellings.entries()) {
      const message = i % 2 ? "ERROR" : "STOPPED";
      await status({ message, ...fields });
      const a = await account();
      expect(a.status).toBe("OK");
      expect((a.productStatuses as Record<string, { status: string }>)[key]?.status).toBe(message);
    }
    // Without a product, the status is the whole account's, and the products keep theirs.
    await status({ message: "CREDENTIALS" });
    expect(await account()).toMatchObject({ status: "CREDENTIALS", productStatuses: { RECRUITER: { status: "ERROR" }, SALES_NAVIGATOR: { status: "STOPPED" } } });
  });
});
