// A status for one LinkedIn product (Recruiter) blocks only the chats that go through it: the thread
// says so before anything is typed, the account's other chats still work, and Admin → Sync shows it.
import { expect, type Page, test } from "@playwright/test";
import { account, openInbox, openSeeded, sim } from "./helpers";

const composer = (page: Page) => page.getByLabel("Message", { exact: true });


test("a Recruiter status blocks the Recruiter chat only, and lifts when Recruiter is OK again", async ({ page, request }) => {
  test.setTimeout(180_000); // status webhooks on a loaded machine: each reload waits up to a minute
  await openInbox(page);
  const li = await account(request, "LINKEDIN");
  const notice = page.getByTestId("composer-notice");
  await sim(request, "/_sim/account-status", { account_id: li.id, status: "CREDENTIALS", product: "Recruiter" });
  try {
    // Priya's chat is in the account's Recruiter mailbox.
    await openSeeded(page, "Priya Raman");
    await expect(async () => {
      await page.reload();
      await expect(notice).toHaveText(
        "Recruiter is not working on this account (credentials): reconnect Recruiter in Unipile to reply in this chat. The account's other chats still work.",
        { timeout: 10_000 },
      );
    }).toPass({ timeout: 60_000 });
    await expect(page.getByTestId("product-status")).toHaveText("· Recruiter credentials");
    await expect(composer(page)).toBeDisabled();
    await page.setViewportSize({ width: 375, height: 740 });
    await expect(notice).toBeInViewport();
    await page.setViewportSize({ width: 1280, height: 800 });

    // The same account's classic InMail still takes a reply.
    await page.goto("/");
    await openSeeded(page, "Tomasz Wierzbicki");
    await expect(composer(page)).toBeEnabled();
    await expect(notice).toHaveCount(0);
    await expect(page.getByTestId("product-status")).toHaveCount(0);

    // Admin → Sync: the account is OK, its Recruiter is not.
    await page.goto("/admin/sync");
    const row = page.getByTestId(`sync-account-${li.id}`);
    await expect(row.getByText("OK", { exact: true })).toBeVisible({ timeout: 20_000 });
    await expect(row.getByTestId("product-RECRUITER")).toHaveText(/Recruiter\s*CREDENTIALS/);
  } finally {
    await sim(request, "/_sim/account-status", { account_id: li.id, status: "OK", product: "Recruiter", message: "RECONNECTED" });
  }
  await page.goto("/");
  await openSeeded(page, "Priya Raman");
  await expect(async () => {
    await page.reload();
    await expect(composer(page)).toBeEnabled({ timeout: 10_000 });
  }).toPass({ timeout: 60_000 });
  await expect(notice).toHaveCount(0);
});
