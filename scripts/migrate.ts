// npm run db:migrate            → apply committed migrations to DATABASE_URL
// npm run db:migration -- <name> → write a new migration from the schema diff (no database needed)
import { checkEnvOrExit } from "../src/server/env.ts";
import { applyMigrations, createMigration } from "../src/server/migrations.ts";

try {
  process.loadEnvFile();
} catch {}

const [cmd, name] = process.argv.slice(2);
if (cmd === "create") {
  if (!name) throw new Error("usage: npm run db:migration -- <name>");
  const dir = await createMigration(name);
  console.log(dir ? `created ${dir}` : "schema unchanged: no migration created");
} else {
  // Only the database is needed here, but a bad setting anywhere is reported now rather than at npm start.
  const config = checkEnvOrExit("db:migrate cannot run", ["AUTH_SECRET"]);
  const applied = await applyMigrations(config.DATABASE_URL);
  console.log(applied.length ? `applied ${applied.join(", ")}` : "database is up to date");
}
