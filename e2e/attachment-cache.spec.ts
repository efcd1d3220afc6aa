// Attachments do not depend on Unipile: an image that reached the inbox opens later even when every
// Unipile request fails (the simulator's errorRate fault), from Parley's own copy.
import { expect, type Page, test } from "@playwright/test";
import { asAdmin, newChat, openInbox, SIM_URL, sim } from "./helpers";

/** The images of the open thread, each loaded and drawn (not a broken image, not "no longer available"). */
async function expectImagesShown(page: Page, count: number) {
  const images = page
    .getByTestId("thread-scroll")
    .getByRole("button", { name: /Open image/ })
    .locator("img");
  await expect(images).toHaveCount(count);
  for (const img of await images.all()) {
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
  }
  await expect(page.getByTestId("attachment-unavailable")).toHaveCount(0);
}

test("an image seen once still opens with the simulator stopped", async ({ page, request, browser }) => {
  // Two signed-in browsers; slower than one on a loaded machine.
  test.setTimeout(120_000);
  await openInbox(page);
  const { row, name, message_id } = await newChat(page, request, {
    text: "The venue, see photo",
    attachments: [{ asset: "photo" }],
  });
  await row.click();
  await expect(page.getByTestId("thread-title")).toHaveText(name);
  await expectImagesShown(page, 1);
  const { apiKey } = await sim<{ apiKey: string }>(request, "/_sim/state");
  const upstream = await request.get(`${SIM_URL}/api/v1/messages/${message_id}`, { headers: { "X-API-KEY": apiKey } });
  const att = ((await upstream.json()) as { attachments: { id: string }[] }).attachments[0]!;

  await sim(request, "/_sim/faults", { errorRate: 1, errorStatus: 503 });
  try {
    // Unipile answers nothing now, its file included.
    const direct = await request.get(`${SIM_URL}/api/v1/messages/${message_id}/attachments/${att.id}`, {
      headers: { "X-API-KEY": apiKey },
    });
    expect(direct.status()).toBe(503);

    // A fresh browser (nothing in its HTTP cache) still sees the picture, in the thread and the viewer.
    const context = await browser.newContext();
    const other = await context.newPage();
    await asAdmin(other);
    const otherRow = other.getByTestId("chat-row").filter({ hasText: name });
    await expect(otherRow).toBeVisible({ timeout: 60_000 });
    await otherRow.click();
    await expect(other.getByTestId("thread-title")).toHaveText(name, { timeout: 60_000 });
    await expectImagesShown(other, 1);
    await other.getByRole("button", { name: /Open image/ }).click();
    const viewer = other.getByRole("dialog", { name: /Image 1 of 1/ });
    await expect(viewer).toBeVisible();
    const src = (await viewer.getByRole("link", { name: "Download" }).getAttribute("href"))!;
    const file = await other.request.get(src);
    expect(file.status()).toBe(200);
    expect(file.headers()["content-type"]).toBe("image/png");
    expect(file.headers()["x-content-type-options"]).toBe("nosniff");
    await context.close();
  } finally {
    await sim(request, "/_sim/faults", {});
  }
});
