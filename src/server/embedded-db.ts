// The embedded PostgreSQL: PGlite (with pg_trgm) served over a local socket so the ordinary `pg`
// driver and Prisma talk to it like to any server. One backend for all sockets: keep to two connections.
import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export type EmbeddedDb = { url: string; port: number; close(): Promise<void>; dump(): Promise<Blob> };

/** `dataDir` undefined → in memory. `port` 0 → any free port. `load`: start from a `dump()` (a tarball). */
export async function startEmbeddedPostgres(opts: { dataDir?: string; port?: number; load?: Blob } = {}): Promise<EmbeddedDb> {
  if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
  const db = await PGlite.create(opts.dataDir ? opts.dataDir : "memory://", { extensions: { pg_trgm }, loadDataDir: opts.load });
  await db.exec("CREATE EXTENSION IF NOT EXISTS pg_trgm");
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: opts.port ?? 0, maxConnections: 2 });
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  return {
    port,
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    async close() {
      await server.stop();
      await db.close();
    },
    dump: () => db.dumpDataDir("none"),
  };
}
