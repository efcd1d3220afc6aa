// The database of a one-off command (user:add, user:unlock): DATABASE_URL, or else the embedded PGlite,
// which only one process may open at a time. Migrations are applied, so a command works before the
// app has ever started.
export async function openScriptDatabase(databaseUrl: string | undefined, elsewhere: string) {
  let embedded: import("../src/server/embedded-db.ts").EmbeddedDb | undefined;
  if (!databaseUrl) {
    const { embeddedDataDir, embeddedInUse } = await import("./embedded-lock.ts");
    if (embeddedInUse()) {
      console.error(`Parley is running on the embedded database: ${elsewhere}, or stop it first.`);
      process.exit(2);
    }
    const { startEmbeddedPostgres } = await import("../src/server/embedded-db.ts");
    embedded = await startEmbeddedPostgres({ dataDir: embeddedDataDir });
    process.env.DATABASE_URL = embedded.url;
    process.env.PARLEY_EMBEDDED_DB = "1";
  }
  const { applyMigrations } = await import("../src/server/migrations.ts");
  await applyMigrations(embedded?.url ?? databaseUrl!);
  // The session secret is not used by these commands, but the server's env needs one.
  process.env.AUTH_SECRET ||= "unused-by-this-script-0000";
  return {
    async close() {
      const { disconnectDb } = await import("../src/server/db.ts");
      await disconnectDb();
      await embedded?.close();
    },
  };
}
