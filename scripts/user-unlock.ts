// npm run user:unlock -- --email a@b.c [--address 198.51.100.7]
// Clears the sign-in wait of an account (and of an address) at once, e.g. when the only admin is held up.
import { parseArgs } from "node:util";

try {
  process.loadEnvFile();
} catch {}

const { values } = parseArgs({ options: { email: { type: "string" }, address: { type: "string" } } });
if (!values.email) {
  console.error("usage: npm run user:unlock -- --email … [--address …]");
  process.exit(2);
}
let embedded: import("../src/server/embedded-db.ts").EmbeddedDb | undefined;
if (!process.env.DATABASE_URL) {
  const { embeddedDataDir, embeddedInUse } = await import("./embedded-lock.ts");
  if (embeddedInUse()) {
    console.error("Parley is running on the embedded database: unlock on the admin page, or stop it first.");
    process.exit(2);
  }
  const { startEmbeddedPostgres } = await import("../src/server/embedded-db.ts");
  embedded = await startEmbeddedPostgres({ dataDir: embeddedDataDir });
  process.env.DATABASE_URL = embedded.url;
  process.env.PARLEY_EMBEDDED_DB = "1";
}
process.env.AUTH_SECRET ??= "unused-by-this-script-0000";
const { applyMigrations } = await import("../src/server/migrations.ts");
await applyMigrations(process.env.DATABASE_URL);
const { unlockSignIn } = await import("../src/server/security/throttle.ts");
const { recordAudit } = await import("../src/server/security/audit.ts");
const { disconnectDb } = await import("../src/server/db.ts");
try {
  const cleared = await unlockSignIn({ email: values.email, address: values.address });
  await recordAudit({ kind: "auth.unlock", actor: null, address: null, target: values.email.toLowerCase(), details: { via: "command line" } });
  console.log(cleared ? `unlocked ${values.email}` : `${values.email} had no sign-in wait`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await disconnectDb();
  await embedded?.close();
}
