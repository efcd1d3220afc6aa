// The inbox end to end: the real app (embedded DB, sync, webhooks) against the simulator.
// Every test makes its own chats through the simulator's control API, so specs sharing the app
// never see each other's data change under them.
import { expect, test } from "@playwright/test";
import { addAgent, account, login, newChat, openInbox, openSeeded, sim, simApi, syncSettled, unique, webhookDecided } from "./helpers";

test.describe.configure({ mode: "serial" });

test("unified list → filters → long chat → older pages → read state reaches the simulator", async ({ page, request }) => {
  await openInbox(page);
  // Several providers in one list.
  const labels = await page.getByTestId("chat-row").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? ""));
  const providers = new Set(labels.map((l) => l.split(", ")[1]));
  expect(providers.size).toBeGreaterThanOrEqual(3);
  // Profile pictures come through our own route (never Unipile's expiring URLs); the rest keep initials.
  const picture = page.getByTestId("avatar-picture").first();
  await expect(picture).toBeVisible();
  expect(await picture.getAttribute("src")).toMatch(/^\/api\/avatars\/[^/]+$/);
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  const rows = await page.getByTestId("chat-row").count();
  expect(await page.getByTestId("chat-row").filter({ has: page.getByTestId("avatar-picture") }).count()).toBeLessThan(rows);
  await page.screenshot({ path: "test-results/screenshots/inbox-list.png" });

  // Filters combine and live in the URL.
  await page.getByLabel("Provider").selectOption("WHATSAPP");
  await expect(page).toHaveURL(/provider=WHATSAPP/);
  await page.getByLabel("Chat type").selectOption("group");
  await expect(page).toHaveURL(/kind=group/);
  await expect(page.getByTestId("chat-row").filter({ hasText: "Saturday climbing crew" })).toBeVisible();
  for (const l of await page.getByTestId("chat-row").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? ""))) {
    expect(l).toContain("WhatsApp");
  }
  await expect(page.getByTestId("chat-row").filter({ hasText: "Jonas Brekke" })).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel("Chat type")).toHaveValue("group");
  await page.getByLabel("Chat type").selectOption("single");
  await expect(page.getByTestId("chat-row").filter({ hasText: "Saturday climbing crew" })).toHaveCount(0);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).not.toHaveURL(/provider=/);

  // The long chat: 320 messages, 50 at a time, older ones load when scrolling up (once the startup
  // sync has brought its history: run early, the chat may hold only its newest 50 yet).
  await syncSettled(page);
  await openSeeded(page, "Jonas Brekke");
  const messages = page.getByTestId("thread-scroll").getByTestId("message");
  await expect(messages).toHaveCount(50);
  const firstVisible = await messages.first().getAttribute("data-message-id");
  await page.getByTestId("thread-scroll").evaluate((el) => {
    el.scrollTop = 0;
  });
  await expect(messages).toHaveCount(100);
  // Position kept: the message that was at the top is still in view, not pushed away.
  await expect(page.locator(`[data-message-id="${firstVisible}"]`)).toBeInViewport();
  await page.screenshot({ path: "test-results/screenshots/inbox-thread.png" });

  // Read state: a new unread chat, opened here, becomes read in the simulator.
  const { chat_id, row } = await newChat(page, request, { text: "Are you free tomorrow?" });
  await expect(row.getByTestId("unread-badge")).toHaveText("1");
  expect((await simApi<{ unread_count: number }>(request, `/chats/${chat_id}`)).unread_count).toBe(1);
  await row.click();
  await expect(row.getByTestId("unread-badge")).toHaveCount(0);
  await expect.poll(async () => (await simApi<{ unread_count: number }>(request, `/chats/${chat_id}`)).unread_count).toBe(0);
  // "Mark as unread" does the reverse.
  await page.getByRole("button", { name: "Mark as unread" }).click();
  await expect(row.getByTestId("unread-badge")).toHaveText("1");
  await expect.poll(async () => (await simApi<{ unread_count: number }>(request, `/chats/${chat_id}`)).unread_count).toBe(1);
});

test("send: pending at once, then sent; the echo never duplicates it", async ({ page, request }) => {
  await openInbox(page);
  const { chat_id, row } = await newChat(page, request, { text: "Ping me when you land" });
  await row.click();
  const text = `Landed ✈️ ${unique()}`;
  // Slow Unipile a little so the pending state is observable.
  await sim(request, "/_sim/faults", { latencyMs: 800 });
  try {
    await page.getByLabel("Message", { exact: true }).fill(text);
    await page.keyboard.press("Enter");
    const mine = page.getByTestId("message").filter({ hasText: text });
    await expect(mine.getByTestId("message-status")).toHaveText("Sending");
    await expect(mine.getByTestId("message-status")).toHaveText(/Sent|Delivered|Seen/, { timeout: 20_000 });
  } finally {
    await sim(request, "/_sim/faults", {});
  }
  // Once Parley has decided the echo's webhook, count: one row here, one message in Unipile.
  const sent = (await simApi<{ items: { id: string; text: string }[] }>(request, `/chats/${chat_id}/messages`)).items.filter((m) => m.text === text);
  expect(sent).toHaveLength(1);
  await webhookDecided(page, chat_id, sent[0]!.id);
  await expect(page.getByTestId("message").filter({ hasText: text })).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId("message").filter({ hasText: text })).toHaveCount(1);

  // Shift+Enter adds a line instead of sending.
  await page.getByLabel("Message", { exact: true }).fill("line one");
  await page.keyboard.press("Shift+Enter");
  await page.keyboard.type("line two");
  await expect(page.getByLabel("Message", { exact: true })).toHaveValue("line one\nline two");
});

test("a send while Unipile fails: failed → Retry → sent, exactly once", async ({ page, request }) => {
  await openInbox(page);
  const { chat_id, row } = await newChat(page, request, { text: "Send me the file?" });
  await row.click();
  const text = `Here it comes ${unique()}`;
  await sim(request, "/_sim/faults", { sendFailStatus: 503 });
  try {
    await page.getByLabel("Message", { exact: true }).fill(text);
    await page.keyboard.press("Enter");
    const mine = page.getByTestId("message").filter({ hasText: text });
    await expect(mine.getByTestId("message-status")).toHaveText("Failed", { timeout: 20_000 });
    await expect(mine).toContainText("Unipile had a problem. Try again in a moment.");
  } finally {
    await sim(request, "/_sim/faults", {});
  }
  const mine = page.getByTestId("message").filter({ hasText: text });
  await mine.getByRole("button", { name: "Retry" }).click();
  await expect(mine.getByTestId("message-status")).toHaveText(/Sent|Delivered|Seen/, { timeout: 20_000 });
  await expect
    .poll(async () => (await simApi<{ items: { text: string }[] }>(request, `/chats/${chat_id}/messages`)).items.filter((m) => m.text === text).length)
    .toBe(1);
  const sent = (await simApi<{ items: { id: string; text: string }[] }>(request, `/chats/${chat_id}/messages`)).items.find((m) => m.text === text)!;
  await webhookDecided(page, chat_id, sent.id);
  await expect(page.getByTestId("message").filter({ hasText: text })).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId("message").filter({ hasText: text })).toHaveCount(1);
});

test("inbound message, reaction, edit and delete from the simulator appear live", async ({ page, request }) => {
  await openInbox(page);
  const { chat_id, row } = await newChat(page, request, { text: "First!" });
  await row.click();
  await expect(page.getByTestId("message").filter({ hasText: "First!" })).toBeVisible();

  const msg = await sim<{ message_id: string }>(request, "/_sim/inbound", { chat_id, text: "Did you get my note?" });
  const live = page.getByTestId("message").filter({ hasText: "Did you get my note?" });
  await expect(live).toBeVisible();

  await sim(request, "/_sim/reaction", { message_id: msg.message_id, value: "🎉" });
  await expect(live.getByTestId("reaction")).toHaveText("🎉");

  await sim(request, "/_sim/edit", { message_id: msg.message_id, text: "Did you get my second note?" });
  const edited = page.getByTestId("message").filter({ hasText: "Did you get my second note?" });
  await expect(edited).toBeVisible();
  await edited.getByRole("button", { name: "edited" }).click();
  await expect(edited.getByTestId("original-text")).toContainText("Did you get my note?");

  await sim(request, "/_sim/delete", { message_id: msg.message_id });
  await expect(page.getByTestId("message-deleted")).toHaveText("This message was deleted");
  await expect(page.getByTestId("message").filter({ hasText: "second note" })).toHaveCount(0);
});

test("search finds a word and a fragment inside a word, and opens the chat at the message", async ({ page, request }) => {
  await openInbox(page);
  const word = `zephyrquill${unique()}`;
  const { name } = await newChat(page, request, { text: `The ${word} report is attached`, type: "TELEGRAM" });
  const search = page.getByLabel("Search messages");

  await page.keyboard.press("/");
  await expect(search).toBeFocused();
  await search.fill(word);
  const hit = page.getByTestId("search-hit").filter({ hasText: name });
  await expect(hit).toBeVisible();
  await expect(hit.locator("mark")).toHaveText(word);
  await page.screenshot({ path: "test-results/screenshots/inbox-search.png" });

  await search.fill(word.slice(3, 9)); // "hyrqui": inside the word
  await expect(hit).toBeVisible();
  await expect(hit.locator("mark")).toHaveText(word.slice(3, 9));

  await search.focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/msg=/);
  await expect(page.getByTestId("thread-title")).toHaveText(name);
  await expect(page.getByTestId("message").filter({ hasText: word })).toBeInViewport();
});

test("a message body of <img src=x onerror=alert(1)> renders as text", async ({ page, request }) => {
  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs++;
    void d.dismiss();
  });
  await openInbox(page);
  const payload = "<img src=x onerror=alert(1)>";
  const { row } = await newChat(page, request, { text: payload });
  await expect(row).toContainText(payload);
  await row.click();
  const body = page.getByTestId("message-text").filter({ hasText: payload });
  await expect(body).toHaveText(payload);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(dialogs).toBe(0);
});

test("an agent without a grant never sees the account's chats: list, search, direct URL, attachments", async ({ page, request, browser }) => {
  await openInbox(page);
  const _wa = await account(request, "WHATSAPP");
  const tg = await account(request, "TELEGRAM");
  const word = `grantcheck${unique()}`;
  // A Telegram chat with a photo and a searchable word: the agent (WhatsApp only) must not reach it.
  await sim(request, "/_sim/inbound", { account_id: tg.id, text: `secret ${word}`, sender_name: `Hidden ${word}`, attachments: [{ asset: "photo" }] });
  const hiddenRow = page.getByTestId("chat-row").filter({ hasText: `Hidden ${word}` });
  await expect(hiddenRow).toBeVisible({ timeout: 20_000 });
  await hiddenRow.click();
  const img = page.getByTestId("message").locator("img").first();
  await expect(img).toBeVisible();
  const src = (await img.getAttribute("src"))!;
  expect(src).toMatch(/^\/api\/attachments\//);
  const hiddenUrl = page.url();
  const adminFile = await page.request.get(src);
  expect(adminFile.status()).toBe(200);
  expect(adminFile.headers()["content-type"]).toBe("image/png");

  // An agent granted WhatsApp only.
  const user = await addAgent(page, request);

  const ctx = await browser.newContext();
  const agent = await ctx.newPage();
  await login(agent, user);
  await expect(agent.getByTestId("chat-row").first()).toBeVisible({ timeout: 30_000 });
  const labels = await agent.getByTestId("chat-row").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? ""));
  expect(labels.length).toBeGreaterThan(0);
  expect(labels.every((l) => l.includes("WhatsApp"))).toBe(true);
  await expect(agent.getByTestId("chat-row").filter({ hasText: word })).toHaveCount(0);

  await agent.getByLabel("Search messages").fill(word);
  await expect(agent.getByTestId("search-empty")).toBeVisible();

  await agent.goto(hiddenUrl);
  await expect(agent.getByRole("alert").filter({ hasText: "You do not have access to this account" })).toBeVisible();
  await expect(agent.getByTestId("message")).toHaveCount(0);

  const agentFile = await agent.request.get(src);
  expect(agentFile.status()).toBe(403);
  expect(await agentFile.text()).not.toContain("PNG");
  const anon = await request.get(src.startsWith("http") ? src : new URL(src, page.url()).toString(), { headers: { cookie: "" } });
  expect(anon.status()).toBe(401);
  await ctx.close();
});

test("keyboard: ? shows the shortcuts, j/k move, Enter opens; the layout fits a phone", async ({ page }) => {
  await openInbox(page);
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await page.keyboard.press("Escape");
  await page.locator("body").click({ position: { x: 700, y: 300 } });
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await page.keyboard.press("k");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/chat=/);
  await expect(page.getByTestId("thread-title")).toBeVisible();

  await page.setViewportSize({ width: 390, height: 800 });
  await expect(page.getByRole("link", { name: "Back to chats" })).toBeVisible();
  await expect(page.getByTestId("chat-row").first()).toBeHidden();
  await page.getByRole("link", { name: "Back to chats" }).click();
  await expect(page.getByTestId("chat-row").first()).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/inbox-phone.png" });
});
