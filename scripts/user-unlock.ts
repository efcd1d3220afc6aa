// npm run user:unlock -- --email a@b.c [--address 198.51.100.7]
// Clears the sign-in wait of an account (and of an address) at once, e.g. when the only admin is held up.
import { parseArgs } from "node:util";
import { checkEnvOrExit } from "../src/server/env.ts";
import { openScriptDatabase } from "./script-db.ts";

try {
  process.loadEnvFile();
} catch {}
// Unset DATABASE_URL means the embedded database; the session secret is not used here.
const config = checkEnvOrExit("user:unlock cannot run", ["DATABASE_URL", "AUTH_SECRET"]);

const { values } = parseArgs({ options: { email: { type: "string" }, address: { type: "string" } } });
if (!values.email) {
  console.error("usage: npm run user:unlock -- --email … [--address …]");
  process.exit(2);
}
const database = await openScriptDatabase(config.DATABASE_URL, "unlock on the admin page");
const { unlockSignIn } = await import("../src/server/security/throttle.ts");
const { recordAudit } = await import("../src/server/security/audit.ts");
try {
  const cleared = await unlockSignIn({ email: values.email, address: values.address });
  await recordAudit({ kind: "auth.unlock", actor: null, address: null, target: values.email.toLowerCase(), details: { via: "command line" } });
  console.log(cleared ? `unlocked ${values.email}` : `${values.email} had no sign-in wait`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await database.close();
}
