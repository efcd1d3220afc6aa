// Collision and notifications with two signed-in users in two browser contexts: the agent sees the
// admin in the chat and "is replying…" while the admin types, gone when the admin leaves; the tab
// title counts unread chats live; a desktop notification is raised for a new inbound message once
// turned on in the settings menu, and for a teammate's @mention, never for a muted chat (headless Chromium
// shows none: an init script records the call).
import AxeBuilder from "@axe-core/playwright";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { addAgent, asAdmin, DEMO_ADMIN, login, newChat, sim, unique } from "./helpers";

/**
 * Records every `new Notification(…)` the page makes, every permission request and every chime (a new
 * AudioContext), keeping the real ones working.
 */
function recordNotifications() {
  const Real = window.Notification;
  const calls: { title: string; body?: string }[] = [];
  const w = window as unknown as { __notified: typeof calls; __asked: number; __chimes: number };
  w.__notified = calls;
  w.__asked = 0;
  w.__chimes = 0;
  class Recorded extends Real {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      calls.push({ title, body: options?.body });
    }
  }
  Object.defineProperty(Recorded, "permission", { get: () => Real.permission });
  Object.defineProperty(Recorded, "requestPermission", {
    value: () => {
      w.__asked++;
      return Real.requestPermission();
    },
  });
  window.Notification = Recorded as unknown as typeof Notification;
  const RealAudio = window.AudioContext;
  window.AudioContext = class extends RealAudio {
    constructor(options?: AudioContextOptions) {
      super(options);
      w.__chimes++;
    }
  };
}
const recorded = (page: Page, what: "__asked" | "__chimes") => page.evaluate((k) => (window as unknown as Record<string, number>)[k], what);

const notified = (page: Page) => page.evaluate(() => (window as unknown as { __notified: { title: string; body?: string }[] }).__notified);
const titleCount = async (page: Page) => Number(/^\((\d+)\)/.exec(await page.title())?.[1] ?? 0);

/** Signed in, with the first unread count loaded (so a count read afterwards is not a stale 0). */
async function signedIn(browser: Browser, user: { email: string; password: string }, notifications = false) {
  const ctx = await browser.newContext(notifications ? { permissions: ["notifications"] } : {});
  await ctx.addInitScript(recordNotifications);
  const page = await ctx.newPage();
  const counted = page.waitForResponse((r) => r.url().includes("notification.unread") && r.ok(), { timeout: 60_000 });
  await (user === DEMO_ADMIN ? asAdmin(page) : login(page, user));
  await counted;
  return { ctx, page };
}

test("the agent sees the admin in the chat and typing, gone after the admin leaves", async ({ browser, request }) => {
  const { page: admin } = await signedIn(browser, DEMO_ADMIN);
  const agentUser = await addAgent(admin, request);
  await admin.goto("/");
  const chat = await newChat(admin, request, { text: `collide ${unique()}` });

  const { page: agent } = await signedIn(browser, agentUser);
  await agent.getByTestId("chat-row").filter({ hasText: chat.name }).click();
  await chat.row.click();
  await expect(agent.getByTestId("thread-title")).toHaveText(chat.name);
  await expect(agent.getByTestId("presence-avatars")).toHaveAttribute("title", "Also here: Demo Admin");

  await admin.locator("#composer").pressSequentially("On it", { delay: 50 });
  await expect(agent.getByTestId("presence-typing")).toHaveText("Demo Admin is replying…");
  // The admin stopped: the line goes within seconds.
  await expect(agent.getByTestId("presence-typing")).toHaveText("", { timeout: 10_000 });

  await admin.goto("/admin");
  await expect(agent.getByTestId("presence-avatars")).toHaveCount(0, { timeout: 8_000 });
});

test("the tab title counts unread chats live and a notification is raised once turned on; settings persist", async ({ browser, request }) => {
  const { page } = await signedIn(browser, DEMO_ADMIN, true);
  await expect(page.getByTestId("chat-row").first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("live-status")).toHaveText("Live");
  const before = await titleCount(page);

  // Settings: notifications on (the permission was granted to this context), sound on.
  await page.getByTestId("settings-button").click();
  const dialog = page.getByRole("dialog", { name: "Settings" });
  await dialog.getByLabel("Desktop notifications").check();
  await expect(dialog.getByLabel("Desktop notifications")).toBeChecked();
  await dialog.getByLabel("Play a sound").check();
  await expect(dialog.getByLabel("Play a sound")).toBeChecked();
  await dialog.getByRole("button", { name: "Close" }).click();

  const text = `ping ${unique()}`;
  const chat = await newChat(page, request, { text });
  await expect.poll(() => titleCount(page)).toBeGreaterThan(before);
  await expect(page.locator("html")).toHaveAttribute("data-unread-badge", /^[1-9]/);
  const icon = page.locator("link[rel~='icon'][href^='data:image/png']");
  await expect(icon.first()).toHaveAttribute("type", "image/png");
  await expect.poll(() => notified(page)).toContainEqual({ title: chat.name, body: text });

  await page.reload();
  await expect.poll(() => titleCount(page)).toBeGreaterThan(before);
  await page.getByTestId("settings-button").click();
  await expect(dialog.getByLabel("Desktop notifications")).toBeChecked();
  await expect(dialog.getByLabel("Play a sound")).toBeChecked();
  // Unwatching every view empties the count.
  for (const v of ["Mine", "Unassigned"]) await dialog.getByLabel(v, { exact: true }).uncheck();
  await expect.poll(() => page.title()).not.toMatch(/^\(\d/);
  await expect(page.locator("html")).not.toHaveAttribute("data-unread-badge", /./);
  await expect(icon).toHaveCount(0);
  await expect(page.locator("link[rel~='icon'][href$='/icon.svg']")).toHaveAttribute("type", "image/svg+xml");

  // Phone and dark: the menu fits and passes axe.
  await page.setViewportSize({ width: 375, height: 740 });
  await page.evaluate(() => document.documentElement.classList.add("dark"));
  const box = await dialog.boundingBox();
  expect(box!.width).toBeLessThanOrEqual(375);
  const { violations } = await new AxeBuilder({ page }).include('[role="dialog"]').withTags(["wcag2a", "wcag2aa", "wcag22aa"]).analyze();
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
  for (const v of ["Mine", "Unassigned"]) await dialog.getByLabel(v, { exact: true }).check();
});

test("with the sound on and desktop notifications off, a new message chimes; permission is never asked on page load", async ({
  browser,
  request,
}) => {
  const { page } = await signedIn(browser, DEMO_ADMIN);
  await expect(page.getByTestId("live-status")).toHaveText("Live");
  await page.reload();
  await expect(page.getByTestId("live-status")).toHaveText("Live");
  expect(await recorded(page, "__asked")).toBe(0);

  await page.getByTestId("settings-button").click();
  const dialog = page.getByRole("dialog", { name: "Settings" });
  // Settings are the user's own and an earlier test may have left them on.
  await dialog.getByLabel("Desktop notifications").setChecked(false);
  await expect(dialog.getByLabel("Desktop notifications")).not.toBeChecked();
  await dialog.getByLabel("Play a sound").setChecked(true);
  await expect(dialog.getByLabel("Play a sound")).toBeChecked();
  await dialog.getByRole("button", { name: "Close" }).click();
  expect(await recorded(page, "__chimes")).toBe(0);

  await newChat(page, request, { text: `chime ${unique()}` });
  await expect.poll(() => recorded(page, "__chimes")).toBe(1);
  expect(await notified(page)).toEqual([]);
  expect(await recorded(page, "__asked")).toBe(0);

  await page.getByTestId("settings-button").click();
  await dialog.getByLabel("Play a sound").uncheck();
  await expect(dialog.getByLabel("Play a sound")).not.toBeChecked();
});

test("a teammate's @mention raises a desktop notification; a muted chat raises none", async ({ browser, request }) => {
  const { page } = await signedIn(browser, DEMO_ADMIN, true);
  const agentUser = await addAgent(page, request);
  const { page: agent } = await signedIn(browser, agentUser);
  await page.goto("/");
  await page.getByTestId("settings-button").click();
  const dialog = page.getByRole("dialog", { name: "Settings" });
  await dialog.getByLabel("Desktop notifications").check();
  await expect(dialog.getByLabel("Desktop notifications")).toBeChecked();
  await dialog.getByRole("button", { name: "Close" }).click();

  // Two new chats; one is muted from the keyboard (m), then no chat is left open.
  const talk = await newChat(page, request, { text: `talk ${unique()}` });
  const quiet = await newChat(page, request, { text: `quiet ${unique()}` });
  await quiet.row.click();
  await expect(page.getByTestId("thread-title")).toHaveText(quiet.name);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press("m");
  await expect(quiet.row.getByTestId("muted-icon")).toBeVisible();
  await page.goto("/");
  await expect(page.getByTestId("live-status")).toHaveText("Live");

  // A new message in the muted chat reaches the list but raises no notification...
  const hush = `hush ${unique()}`;
  await sim(request, "/_sim/inbound", { chat_id: quiet.chat_id, text: hush });
  await expect(quiet.row).toContainText(hush);
  // ...while the agent's note mentioning the admin does, named after the teammate and the chat.
  const me = await (await page.request.get("/api/trpc/user.me")).json();
  const chatId = await talk.row.getAttribute("data-chat-id");
  const note = `please look ${unique()}`;
  const res = await agent.request.post("/api/trpc/note.add", { data: { json: { chatId, text: note, mentionIds: [me.result.data.json.id] } } });
  expect(res.ok(), await res.text()).toBe(true);
  await expect.poll(() => notified(page)).toContainEqual({ title: expect.stringMatching(new RegExp(`mentioned you in ${talk.name}$`)), body: note });
  expect((await notified(page)).map((n) => n.body)).not.toContain(hush);
});
