// The open conversation end to end: scrolling, drafts, what the composer says, how messages look.
// Each test makes its own chats through the simulator's control API, or reads the seeded demo chats
// without changing them.
import { type Browser, expect, type Locator, type Page, test } from "@playwright/test";
import { account, asAdmin, DEMO_ADMIN, login, newChat, openInbox, openSeeded, SIM_URL, type SimState, sim, unique } from "./helpers";


const composer = (page: Page) => page.getByLabel("Message", { exact: true });
const thread = (page: Page) => page.getByTestId("thread-scroll");


/** The app's dark theme, as its toggle sets it (a class on <html>). */
const darkMode = (page: Page, on: boolean) => page.evaluate((v) => void document.documentElement.classList.toggle("dark", v), on);

/** The window itself never scrolls: the app header and the thread header stay on screen. */
async function expectWindowStill(page: Page) {
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await expect(page.getByRole("link", { name: "Parley" })).toBeInViewport();
  await expect(page.getByTestId("thread-title")).toBeInViewport();
}

const boxes = (l: Locator) =>
  l.evaluateAll((els) =>
    els
      .map((e) => e.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.height > 0)
      .map((r) => ({ top: r.top, bottom: r.bottom, left: r.left, right: r.right })),
  );
/** A day label as the thread writes it ("Today", "Yesterday", "Sunday, November 29", "March 3, 2025"). */
const DAY = /^(Today|Yesterday|(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, .+|[A-Z][a-z]+ \d{1,2}, \d{4})$/;
type Box = Awaited<ReturnType<typeof boxes>>[number];
const overlap = (a: Box, b: Box) => a.top < b.bottom - 1 && b.top < a.bottom - 1 && a.left < b.right - 1 && b.left < a.right - 1;

test("a search hit and a &msg= link scroll the thread, never the window", async ({ page, request }) => {
  test.setTimeout(150_000); // twenty long messages through the simulator first
  await openInbox(page);
  const word = `lodestar${unique()}`;
  const { chat_id, name } = await newChat(page, request, { text: `The ${word} numbers are in` });
  // Enough newer messages, theirs and ours (sent from the phone), that the hit sits far above the newest one.
  const { apiKey } = await sim<SimState>(request, "/_sim/state");
  for (let i = 0; i < 20; i++) {
    const text = `Follow-up ${i}: ${"more words ".repeat(24)}`;
    if (i % 2) await sim(request, "/_sim/inbound", { chat_id, text });
    else {
      const res = await request.post(`${SIM_URL}/api/v1/chats/${chat_id}/messages`, { headers: { "X-API-KEY": apiKey }, multipart: { text } });
      expect(res.ok()).toBe(true);
    }
  }
  await expect(page.getByTestId("chat-row").filter({ hasText: name })).toContainText("Follow-up 19", { timeout: 60_000 });

  await page.getByLabel("Search messages").fill(word);
  await page.getByTestId("search-hit").filter({ hasText: name }).click();
  await expect(page).toHaveURL(/msg=/);
  const hit = page.getByTestId("message").filter({ hasText: word });
  await expect(hit).toBeInViewport();
  await expectWindowStill(page);

  // The same link opened as a full page load.
  await page.reload();
  await expect(hit).toBeInViewport();
  await expectWindowStill(page);

  // And on a phone.
  await page.setViewportSize({ width: 375, height: 740 });
  await page.reload();
  await expect(hit).toBeInViewport();
  await expectWindowStill(page);
});

test("each chat keeps its draft and reply target, across chats, a reload, and until sign-out", async ({ page, request }) => {
  // A session of its own (the form, not asAdmin): signing out ends it.
  await login(page);
  await expect(page.getByTestId("live-status")).toHaveText("Live");
  const a = await newChat(page, request, { text: "Can you check the invoice?" });
  const b = await newChat(page, request, { text: "Lunch on Friday?" });

  await a.row.click();
  await expect(page.getByTestId("thread-title")).toHaveText(a.name);
  await page.getByTestId("message").filter({ hasText: "Can you check the invoice?" }).hover();
  await page.getByRole("button", { name: `Reply to ${a.name}` }).click();
  await composer(page).fill("Checked, one line is wrong");
  await expect(page.getByTestId("reply-preview")).toContainText("Can you check the invoice?");

  await b.row.click();
  await expect(page.getByTestId("thread-title")).toHaveText(b.name);
  await expect(composer(page)).toHaveValue("");
  await expect(page.getByTestId("reply-preview")).toHaveCount(0);
  await composer(page).fill("Friday works");

  await a.row.click();
  await expect(composer(page)).toHaveValue("Checked, one line is wrong");
  await expect(page.getByTestId("reply-preview")).toContainText("Can you check the invoice?");

  await page.reload();
  await expect(composer(page)).toHaveValue("Checked, one line is wrong");
  await expect(page.getByTestId("reply-preview")).toContainText("Can you check the invoice?");
  await b.row.click();
  await expect(composer(page)).toHaveValue("Friday works");

  // Sending empties the draft for good.
  await composer(page).press("Enter");
  await expect(page.getByTestId("message").filter({ hasText: "Friday works" })).toBeVisible();
  await page.reload();
  await expect(composer(page)).toHaveValue("");

  // Signing out forgets every draft in this browser.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("parley:draft:")))).toEqual([]);
  await login(page, DEMO_ADMIN);
  await page.getByTestId("chat-row").filter({ hasText: a.name }).click();
  await expect(page.getByTestId("thread-title")).toHaveText(a.name);
  await expect(composer(page)).toHaveValue("");
});

test("a disconnected account says so in the composer; a failed send looks failed", async ({ page, request }) => {
  test.setTimeout(180_000); // status webhooks on a loaded machine: each reload waits up to a minute
  await openInbox(page);
  const ig = await account(request, "INSTAGRAM");
  const { row } = await newChat(page, request, { text: "Are you at the gym?", type: "INSTAGRAM" });
  await row.click();

  // A send that Unipile refuses: the bubble is not the blue of a sent one, and offers Retry.
  await composer(page).fill("On my way");
  await page.keyboard.press("Enter");
  const sent = page.getByTestId("message").filter({ hasText: "On my way" });
  await expect(sent.getByTestId("message-status")).toHaveText(/Sent|Delivered|Seen/, { timeout: 20_000 });
  await sim(request, "/_sim/faults", { sendFailStatus: 503 });
  try {
    await composer(page).fill("Five minutes late");
    await page.keyboard.press("Enter");
    const failed = page.getByTestId("message").filter({ hasText: "Five minutes late" });
    await expect(failed.getByTestId("message-status")).toHaveText("Failed", { timeout: 20_000 });
    await expect(failed.getByRole("button", { name: "Retry" })).toBeVisible();
    const bg = (l: Locator) => l.getByTestId("bubble").evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(await bg(failed)).not.toBe(await bg(sent));
    await darkMode(page, true);
    expect(await bg(failed)).not.toBe(await bg(sent));
    await page.screenshot({ path: "test-results/screenshots/thread-failed-dark.png" });
    await darkMode(page, false);
  } finally {
    await sim(request, "/_sim/faults", {});
  }

  // The account loses its connection: the composer says what to do before anything is typed.
  await sim(request, "/_sim/account-status", { account_id: ig.id, status: "CREDENTIALS" });
  try {
    const notice = page.getByTestId("composer-notice");
    await expect(async () => {
      await page.reload();
      await expect(notice).toHaveText("Reconnect this account in Unipile to reply", { timeout: 10_000 });
    }).toPass({ timeout: 60_000 });
    await expect(composer(page)).toBeDisabled();
    await expect(page.getByRole("button", { name: "Send" })).toBeDisabled();
    await page.setViewportSize({ width: 375, height: 740 });
    await expect(notice).toBeInViewport();
    await darkMode(page, true);
    await page.screenshot({ path: "test-results/screenshots/thread-disconnected-phone-dark.png" });
    await darkMode(page, false);
  } finally {
    await sim(request, "/_sim/account-status", { account_id: ig.id, status: "OK" });
  }
  await expect(async () => {
    await page.reload();
    await expect(composer(page)).toBeEnabled({ timeout: 10_000 });
  }).toPass({ timeout: 60_000 });
});

test("an unknown chat URL says so at once", async ({ page }) => {
  await openInbox(page);
  // "At once" = on Parley's first answer: asking again (with back-off) is what kept the skeleton for 8 s.
  const asks: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/trpc/") && r.url().includes("chat.get")) asks.push(r.url());
  });
  await page.goto("/?chat=no-such-chat");
  await expect(page.getByText("This chat does not exist")).toBeVisible();
  await expect(page.getByLabel("Loading messages")).toHaveCount(0);
  expect(asks).toHaveLength(1);
});

test("deleted messages lose their reactions; system events and an InMail subject say what they are", async ({ page, request }) => {
  await openInbox(page);
  const { chat_id, row } = await newChat(page, request, { text: "Wrong chat, sorry" });
  await row.click();
  const first = await sim<{ message_id: string }>(request, "/_sim/inbound", { chat_id, text: "Ignore that one" });
  const msg = page.getByTestId("message").filter({ hasText: "Ignore that one" });
  await sim(request, "/_sim/reaction", { message_id: first.message_id, value: "😂" });
  await expect(msg.getByTestId("reaction")).toHaveText("😂");
  const id = await msg.getAttribute("data-message-id");
  await sim(request, "/_sim/delete", { message_id: first.message_id });
  const tombstone = page.locator(`[data-message-id="${id}"]`);
  await expect(tombstone.getByTestId("message-deleted")).toBeVisible();
  await expect(tombstone.getByTestId("reaction")).toHaveCount(0);

  await openSeeded(page, "Saturday climbing crew");
  await expect(page.getByTestId("system-event")).toHaveText(["Group created", "Léa was added"]);
  await openSeeded(page, "Maya Lindqvist");
  await expect(page.getByTestId("system-event")).toHaveText(["Missed call"]);
  await openSeeded(page, "Tomasz Wierzbicki");
  await expect(page.getByTestId("chat-subject")).toHaveText("Partnership idea");
});

test("day labels never overlap each other or cover a message's text", async ({ page }) => {
  test.setTimeout(240_000); // up to forty pauses while older pages load
  await openInbox(page);
  await openSeeded(page, "Jonas Brekke");
  await expect(page.getByTestId("message")).toHaveCount(50);
  const scroller = thread(page);
  const pane = scroller.locator(".."); // the labels between the messages and the floating one over the top edge
  /**
   * The day labels in view: none overlaps another; at rest none covers a message's text either (while
   * scrolling, the floating label passes over the messages, as in every chat app). Returns how many.
   */
  async function check(step: number, when: "while scrolling" | "at rest") {
    const view = (await boxes(scroller))[0]!;
    const labels = (await boxes(pane.getByTestId("day-label"))).filter((b) => b.bottom > view.top && b.top < view.bottom);
    for (const text of await pane.getByTestId("day-label").allTextContents()) expect(text).toMatch(DAY);
    for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) expect(overlap(labels[i]!, labels[j]!), `labels overlap at step ${step}, ${when}`).toBe(false);
    if (when === "at rest") {
      const texts = await boxes(page.getByTestId("message-text"));
      for (const l of labels) for (const t of texts) expect(overlap(l, t), `label over text at step ${step}`).toBe(false);
    }
    return labels.length;
  }
  // Walk up, pausing at each step as a reader would, until day labels were in view at rest twice
  // times (how many messages a day holds depends on the time of day the demo data was made).
  let seen = 0;
  for (let step = 0; step < 40 && seen < 2; step++) {
    await scroller.evaluate((el, s) => {
      el.scrollTop = Math.max(0, el.scrollTop - el.clientHeight * 0.6 - s);
      // The scroll event fires before the next frames: after two, the pane knows it scrolled.
      return new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    }, step);
    await check(step, "while scrolling");
    await expect.poll(() => scroller.evaluate((el) => el.dataset.scrolling ?? "no"), { intervals: [50] }).toBe("no");
    if ((await check(step, "at rest")) > 0) seen++;
  }
  expect(seen).toBeGreaterThan(0);
});

test("right-to-left chats align the header's name and subtitle the same way", async ({ page }) => {
  await openInbox(page);
  await openSeeded(page, "يوسف الأمين");
  const edges = await page.locator("[data-testid=thread-title], [data-testid=thread-subtitle]").evaluateAll((els) =>
    els.map((e) => {
      const r = document.createRange();
      r.selectNodeContents(e);
      const b = r.getBoundingClientRect();
      return { left: b.left, right: b.right };
    }),
  );
  expect(edges).toHaveLength(2);
  expect(Math.abs(edges[0]!.right - edges[1]!.right)).toBeLessThan(2);
});

test("images open in the app's viewer; a missing one says so", async ({ page, request }) => {
  await openInbox(page);
  const { chat_id, row } = await newChat(page, request, { text: "Pictures from the trip", attachments: [{ asset: "photo" }] });
  await sim(request, "/_sim/inbound", { chat_id, text: "And the summit", attachments: [{ asset: "photo" }] });
  await expect(row).toContainText("And the summit");
  await row.click();
  const images = page.getByTestId("thread-scroll").getByRole("button", { name: /Open image/ });
  await expect(images).toHaveCount(2);
  const pages = page.context().pages().length;
  await images.first().click();
  const viewer = page.getByRole("dialog", { name: /Image 1 of 2/ });
  await expect(viewer).toBeVisible();
  expect(page.context().pages().length).toBe(pages);
  await expect(viewer.getByRole("link", { name: "Download" })).toHaveAttribute("href", /^\/api\/attachments\//);
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("dialog", { name: /Image 2 of 2/ })).toBeVisible();
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByRole("dialog", { name: /Image 1 of 2/ })).toBeVisible();
  await darkMode(page, true);
  await page.setViewportSize({ width: 375, height: 740 });
  await page.screenshot({ path: "test-results/screenshots/thread-viewer-phone-dark.png" });
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.setViewportSize({ width: 1280, height: 720 });
  await darkMode(page, false);

  // Unipile no longer has the file: the app's own state, not the browser's broken image. The fault is
  // on before the message arrives, so Parley never got a copy (it fetches new files ahead of a view).
  await sim(request, "/_sim/faults", { errorRate: 1, errorStatus: 404 });
  try {
    const gone = await newChat(page, request, { text: "Old photo", attachments: [{ asset: "photo" }] });
    await gone.row.click();
    await expect(page.getByTestId("attachment-unavailable")).toBeVisible();
  } finally {
    await sim(request, "/_sim/faults", {});
  }
  await expect(page.getByTestId("thread-scroll").locator("img")).toHaveCount(0);
});

test("the Shift+Enter hint shows with a keyboard, not on a touch screen", async ({ page, browser }) => {
  await openInbox(page);
  await openSeeded(page, "Jonas Brekke");
  await expect(composer(page)).toHaveAttribute("placeholder", /Shift\+Enter/);
  await expect(composer(page)).toHaveAttribute("id", "composer");

  const phone = await touchPage(browser);
  await asAdmin(phone);
  await openSeeded(phone, "Jonas Brekke");
  await expect(composer(phone)).toBeVisible();
  await expect(composer(phone)).toHaveAttribute("placeholder", "Write a message…");
  await phone.context().close();
});

async function touchPage(browser: Browser) {
  const ctx = await browser.newContext({ viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true });
  return ctx.newPage();
}
