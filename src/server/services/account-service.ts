// Connected messaging accounts as the user may see them.
import { type SessionUser, visibleAccountIds } from "../access.ts";
import { db } from "../db.ts";

export async function listAccounts(user: SessionUser) {
  const ids = await visibleAccountIds(user);
  return db.account.findMany({
    where: ids === "all" ? {} : { id: { in: ids } },
    orderBy: { name: "asc" },
    select: { id: true, name: true, provider: true, status: true, statusMessage: true, statusAt: true, lastSyncedAt: true },
  });
}
