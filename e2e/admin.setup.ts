// The setup project (playwright.config.ts): signs the demo admin in once through the login form and
// saves the session, which `asAdmin`/`openInbox` (helpers.ts) reuse in every test that only needs to be signed in.
import { test as setup } from "@playwright/test";
import { ADMIN_STATE, login } from "./helpers";

setup("the demo admin signs in once for the run", async ({ page }) => {
  await login(page);
  await page.context().storageState({ path: ADMIN_STATE });
});
