import { expect, test } from "@playwright/test";
import { DEMO_ADMIN, login } from "./helpers";

test("pages need a session: the inbox redirects to the login page", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?next=%2F$/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});

test("a wrong password gets a clear error", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO_ADMIN.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/login/);
});

test("the demo admin signs in, sees the inbox and the admin page, adds an agent who cannot reach admin", async ({ page }) => {
  await login(page);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin", exact: true })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/inbox.png" });

  await page.getByRole("link", { name: "Admin", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Add a user" })).toBeVisible();
  const email = `agent-${Date.now()}@parley.local`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("agent-password");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByTestId(`user-row-${email}`)).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/admin-users.png", fullPage: true });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);

  await login(page, { email, password: "agent-password" });
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/$/);
});

test("a disabled user cannot sign in", async ({ page }) => {
  await login(page);
  await page.goto("/admin");
  const email = `gone-${Date.now()}@parley.local`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("agent-password");
  await page.getByRole("button", { name: "Add user" }).click();
  const row = page.getByTestId(`user-row-${email}`);
  await row.getByRole("button", { name: "Disable" }).click();
  await expect(row.getByText("disabled")).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  // Wait for the sign-out redirect to land, or it can replace the page while the form is being filled.
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/login");

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("agent-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toContainText("disabled");
});
