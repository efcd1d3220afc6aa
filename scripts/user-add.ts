// npm run user:add -- --email a@b.c --password secret123 --role admin|agent [--accounts id1,id2] [--name "A B"]
import { parseArgs } from "node:util";
import { checkEnvOrExit } from "../src/server/env.ts";

try {
  process.loadEnvFile();
} catch {}
// Unset DATABASE_URL means the embedded database; the session secret is not used here.
const config = checkEnvOrExit("user:add cannot run", ["DATABASE_URL", "AUTH_SECRET"]);

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    password: { type: "string" },
    role: { type: "string", default: "agent" },
    accounts: { type: "string", default: "" },
    name: { type: "string" },
  },
});
if (!values.email || !values.password) {
  console.error("usage: npm run user:add -- --email … --password … --role admin|agent [--accounts id,…]");
  process.exit(2);
}
let embedded: import("../src/server/embedded-db.ts").EmbeddedDb | undefined;
if (!config.DATABASE_URL) {
  // The embedded database: only one process may open .data/pglite at a time.
  const { embeddedDataDir, embeddedInUse } = await import("./embedded-lock.ts");
  if (embeddedInUse()) {
    console.error("Parley is running on the embedded database: add users on the admin page, or stop it first.");
    process.exit(2);
  }
  const { startEmbeddedPostgres } = await import("../src/server/embedded-db.ts");
  embedded = await startEmbeddedPostgres({ dataDir: embeddedDataDir });
  process.env.DATABASE_URL = embedded.url;
  process.env.PARLEY_EMBEDDED_DB = "1";
}
// Idempotent, and it lets the first user be added before the app has ever started.
const { applyMigrations } = await import("../src/server/migrations.ts");
await applyMigrations(embedded?.url ?? config.DATABASE_URL!);
process.env.AUTH_SECRET ||= "unused-by-this-script-0000";
const { createUser } = await import("../src/server/services/user-service.ts");
const { disconnectDb } = await import("../src/server/db.ts");
try {
  const user = await createUser({
    email: values.email,
    password: values.password,
    name: values.name,
    role: values.role as "admin" | "agent",
    accountIds: values.accounts.split(",").map((s) => s.trim()).filter(Boolean),
  });
  console.log(`added ${user.role} ${user.email}${user.grants.length ? ` with ${user.grants.length} account(s)` : ""}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await disconnectDb();
  await embedded?.close();
}
