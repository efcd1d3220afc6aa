import { expect, type Page } from "@playwright/test";

export const DEMO_ADMIN = { email: "admin@parley.local", password: "parley-demo" };
export const SIM_URL = `http://127.0.0.1:${process.env.E2E_SIM_PORT ?? 3201}`;

export async function login(page: Page, user: { email: string; password: string } = DEMO_ADMIN) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText(user.email);
}
