// npm run user:add -- --email a@b.c --password secret123 --role admin|agent [--accounts id1,id2] [--name "A B"]
import { parseArgs } from "node:util";
import { checkEnvOrExit } from "../src/server/env.ts";
import { openScriptDatabase } from "./script-db.ts";

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
const database = await openScriptDatabase(config.DATABASE_URL, "add users on the admin page");
const { createUser } = await import("../src/server/services/user-service.ts");
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
  await database.close();
}
