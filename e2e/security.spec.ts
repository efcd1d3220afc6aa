// Issue 12 in a real browser: redirects stay on our origin, every page sends security headers and
// raises no CSP violation (both themes), sign-in guessing is throttled with a clear message,
// a signed-out cookie is dead, and anonymous health says nothing about the network.
import { expect, type Page, test } from "@playwright/test";
import { DEMO_ADMIN, login } from "./helpers";

const EVIL = "evil.example";

/** Nothing may leave for the other site; a request there would be the redirect we are testing. */
async function blockEvil(page: Page) {
  const attempts: string[] = [];
  await page.route(`**://${EVIL}/**`, (route) => {
    attempts.push(route.request().url());
    return route.abort();
  });
  return attempts;
}

test("signed in, /login?next=… never leaves our origin (//host, /\\host, encoded)", async ({ page, baseURL }) => {
  const attempts = await blockEvil(page);
  await login(page);
  for (const next of [`//${EVIL}/x`, `/\\${EVIL}/x`, `%2F%5C${EVIL}%2Fx`, `%2F%2F${EVIL}`, `/%09/${EVIL}`]) {
    await page.goto(`/login?next=${next}`);
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  }
  expect(attempts).toEqual([]);
});

test("signing in from a login link with next=/\\host lands on our own inbox", async ({ page, baseURL }) => {
  const attempts = await blockEvil(page);
  await page.goto(`/login?next=%2F%5C${EVIL}%2Fafter`);
  await page.getByLabel("Email").fill(DEMO_ADMIN.email);
  await page.getByLabel("Password").fill(DEMO_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText(DEMO_ADMIN.email);
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  expect(attempts).toEqual([]);
});

test("repeated wrong passwords are throttled with a message saying how long to wait", async ({ page }) => {
  await page.goto("/login");
  const email = `guesser-${Date.now()}@parley.local`;
  for (let i = 0; i < 7; i++) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(`guess-${i}`);
    const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login");
    await page.getByRole("button", { name: "Sign in" }).click();
    await answered;
    // The form resets after each answer: wait for it before typing the next guess.
    await expect(page.getByLabel("Password")).toHaveValue("");
    await expect(page.locator("form p[role=alert]")).toHaveText(i < 6 ? "Wrong email or password." : /Too many failed sign-ins\. Wait \d+ seconds?, then try again\./);
  }
});

test("a cookie copied before sign-out no longer works", async ({ page, browser }) => {
  await login(page);
  const cookies = await page.context().cookies();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  const other = await browser.newContext();
  await other.addCookies(cookies);
  const replay = await other.newPage();
  await replay.goto("/");
  await expect(replay).toHaveURL(/\/login/);
  await other.close();
});

test("anonymous /api/health is liveness only", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ ok: true, status: "live" });
});

test("every page sends security headers and raises no CSP violation, in both themes", async ({ page }) => {
  test.setTimeout(180_000);
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(m.text())) violations.push(m.text());
  });
  await page.exposeFunction("__cspViolation", (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });

  const res = await page.goto("/login");
  const h = res!.headers();
  expect(h["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["content-security-policy"]).toContain("img-src 'self' data: blob:");
  expect(h["content-security-policy"]).not.toContain("unsafe-eval");
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["permissions-policy"]).toContain("camera=()");
  // API routes skip the proxy (no page, no nonce) but keep the static headers.
  const api = (await page.request.get("/api/health")).headers();
  expect(api["x-content-type-options"]).toBe("nosniff");
  expect(api["x-frame-options"]).toBe("DENY");
  expect(api["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  // The nonce is per response.
  const again = (await page.request.get("/login")).headers()["content-security-policy"];
  expect(again).not.toBe(h["content-security-policy"]);

  await login(page);
  for (const theme of ["dark", "light"]) {
    await page.evaluate((t) => localStorage.setItem("theme", t), theme);
    await page.goto("/");
    // The inline theme script ran (it carries the nonce): the class matches the saved theme.
    await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b).*$/);
    await expect(page.getByTestId("chat-row").first()).toBeVisible({ timeout: 60_000 });
    await page.getByTestId("chat-row").first().click();
    await expect(page).toHaveURL(/[?&]chat=/);
    await page.waitForLoadState("networkidle");
    for (const path of ["/admin", "/admin/sync", "/admin/webhooks", "/admin/audit"]) {
      const r = await page.goto(path);
      expect(r!.headers()["content-security-policy"]).toContain("'strict-dynamic'");
      await page.waitForLoadState("networkidle");
    }
  }
  await expect(page.getByRole("table", { name: "Audit events" })).toContainText("auth.sign_in");
  expect(violations).toEqual([]);
});
