// Unipile accounts in our database: listed ones with their status, and placeholders for accounts a
// chat or webhook names before we listed them.
import { db } from "../db.ts";
import { publish } from "../realtime/bus.ts";
import type { Account as UnipileAccount } from "../unipile/schemas.ts";
import { NOW } from "./sql.ts";

/** The first source status that is not OK (ERROR, CREDENTIALS, …), else OK. */
function accountStatusOf(a: Pick<UnipileAccount, "sources">): string {
  return a.sources.find((s) => s.status !== "OK")?.status ?? "OK";
}

/** Inserts or refreshes accounts (name, provider, status). Returns each with whether its status changed. */
export async function upsertAccounts(accounts: UnipileAccount[], opts: { publish?: boolean } = {}) {
  const out: { id: string; status: string; created: boolean; statusChanged: boolean }[] = [];
  for (const a of accounts) {
    const status = accountStatusOf(a);
    const before = await db.account.findUnique({ where: { id: a.id }, select: { status: true } });
    const connectionParams = (a.connection_params ?? null) as object | null;
    await db.account.upsert({
      where: { id: a.id },
      create: {
        id: a.id,
        provider: a.type,
        name: a.name,
        status,
        statusAt: new Date(),
        connectionParams: connectionParams ?? undefined,
      },
      update: {
        provider: a.type,
        name: a.name,
        status,
        ...(before?.status !== status ? { statusAt: new Date(), statusMessage: null } : {}),
        connectionParams: connectionParams ?? undefined,
      },
    });
    out.push({ id: a.id, status, created: !before, statusChanged: !before || before.status !== status });
  }
  if (opts.publish !== false) {
    const events = out.filter((a) => a.statusChanged).map((a) => ({ type: "account.updated", accountId: a.id }) as const);
    if (events.length) await publish(...events);
  }
  return out;
}

/** A chat or webhook may name an account we never listed: keep a placeholder so the foreign key holds. */
export async function ensureAccounts(accounts: { id: string; provider: string }[]) {
  if (!accounts.length) return;
  await db.$executeRawUnsafe(
    `INSERT INTO "Account" (id, provider, name, "updatedAt")
     SELECT x.id, x.provider, x.id, ${NOW} FROM jsonb_to_recordset($1::jsonb) AS x(id text, provider text)
     ON CONFLICT (id) DO NOTHING`,
    JSON.stringify(accounts),
  );
}
