// npm run db:migrate            → apply committed migrations to DATABASE_URL
// npm run db:migration -- <name> → write a new migration from the schema diff (no database needed)
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
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set");
    process.exit(1);
  }
  const applied = await applyMigrations(url);
  console.log(applied.length ? `applied ${applied.join(", ")}` : "database is up to date");
}
