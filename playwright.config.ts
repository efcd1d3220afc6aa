import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// e2e runs the real app (production build) on a fresh embedded database with the simulator beside it.
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3200);
export const SIM_PORT = Number(process.env.E2E_SIM_PORT ?? 3201);
const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  outputDir: "test-results/e2e",
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "test-results/e2e.json" }]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${APP_PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  // setup signs the demo admin in once (e2e/admin.setup.ts); it sets no storageState here, since that would also
  // sign in every context a test makes itself: tests take the saved session through asAdmin/openInbox.
  projects: [
    { name: "setup", testMatch: /\.setup\.ts$/ },
    { name: "chromium", use: { ...devices["Desktop Chrome"] }, dependencies: ["setup"] },
  ],
  webServer: {
    command: "rm -rf .data/e2e && npm start",
    url: `http://127.0.0.1:${APP_PORT}/api/health`,
    timeout: 240_000,
    reuseExistingServer: !process.env.CI,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(APP_PORT),
      SIMULATOR_PORT: String(SIM_PORT),
      PARLEY_DATA_DIR: ".data/e2e",
      DATABASE_URL: "",
      UNIPILE_DSN: "",
    },
  },
});
