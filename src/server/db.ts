// The one Prisma client. On the embedded PGlite every socket shares one backend, so the pool is a
// single connection there (see ../shared/STACK.md); on a real server it is DATABASE_POOL_MAX.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client.ts";
import { env } from "./env.ts";

export type Db = InstanceType<typeof PrismaClient>;

export function createPrisma(connectionString: string, max: number): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max }) });
}

const g = globalThis as { __parleyDb?: Db };

function instance(): Db {
  g.__parleyDb ??= createPrisma(env.DATABASE_URL, env.PARLEY_EMBEDDED_DB ? 1 : env.DATABASE_POOL_MAX);
  return g.__parleyDb;
}

/** Created on first use, so importing this module needs no database. */
export const db: Db = new Proxy({} as Db, {
  get(_t, key) {
    const client = instance();
    const value = Reflect.get(client, key, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

/** Tests: drop the client so the next use connects to the current DATABASE_URL. */
export async function disconnectDb() {
  const client = g.__parleyDb;
  g.__parleyDb = undefined;
  await client?.$disconnect();
}
