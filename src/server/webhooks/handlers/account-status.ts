// Account status webhooks (fired on transitions only): the account's health shown in the UI. The
// payload has no time, so the receipt time orders them; OK-like transitions queue a resync of the account.
import { db } from "../../db.ts";
import { getUnipile } from "../../unipile/client.ts";
import { UnipileError } from "../../unipile/errors.ts";
import { productLabel, productOfStatus, productStatusesOf } from "../../store/account-products.ts";
import { onAccountHealthy } from "../sync-hooks.ts";
import type { HandlerContext, Outcome } from "./types.ts";

/** Transitions that mean "working again"; their health is OK and the account is resynced. */
const HEALTHY = new Set(["OK", "RECONNECTED", "SYNC_SUCCESS", "CREATION_SUCCESS"]);

function healthOf(message: string): string {
  return HEALTHY.has(message) ? "OK" : message;
}

export async function accountStatus(
  p: { account_id: string; account_type: string | undefined; message: string; raw?: { AccountStatus: Record<string, unknown> } },
  ctx: HandlerContext,
): Promise<Outcome> {
  const status = healthOf(p.message);
  const product = p.raw ? productOfStatus(p.raw.AccountStatus) : null;
  if (product) return productStatus(p, product, status, ctx);
  const before = await db.account.findUnique({ where: { id: p.account_id }, select: { status: true, statusMessage: true, statusAt: true } });
  if (before && before.status === status && before.statusMessage === p.message) {
    return { status: "duplicate", note: `Account already ${p.message}` };
  }
  // One rule for unknown accounts: create one only if Unipile knows it (a forged or stale id is
  // recorded in the webhook log and ignored). Any other Unipile failure throws: the event is retried.
  let known: { provider: string; name: string } | null = null;
  if (!before) {
    const found = await getUnipile()
      .getAccount(p.account_id)
      .catch((err: unknown) => {
        if (err instanceof UnipileError && err.isNotFound) return null;
        throw err;
      });
    if (!found) return { status: "applied", note: "Unknown to Unipile: ignored" };
    known = { provider: found.type, name: found.name };
  }
  if (before?.statusAt && before.statusAt > ctx.receivedAt) {
    return { status: "applied", note: "A later status is already recorded" };
  }
  await db.account.upsert({
    where: { id: p.account_id },
    // An account Unipile has and we never listed: the next account sync fills in the rest.
    create: { id: p.account_id, provider: known?.provider ?? "UNKNOWN", name: known?.name ?? p.account_id, status, statusMessage: p.message, statusAt: ctx.receivedAt },
    update: { status, statusMessage: p.message, statusAt: ctx.receivedAt },
  });
  let note: string | undefined;
  if (HEALTHY.has(p.message) && p.message !== "CREATION_SUCCESS") {
    await onAccountHealthy(p.account_id);
    note = "account resync queued";
  }
  return { status: "applied", note, publish: [{ type: "account.updated", accountId: p.account_id }] };
}

/**
 * A status naming one LinkedIn product marks that product only (Account.productStatuses): the account's
 * own status, and every chat that does not go through the product, are left as they are.
 */
async function productStatus(p: { account_id: string; message: string }, product: string, status: string, ctx: HandlerContext): Promise<Outcome> {
  const account = await db.account.findUnique({ where: { id: p.account_id }, select: { productStatuses: true } });
  // An account we never listed: its listing (or a status of the whole account) comes first.
  if (!account) return { status: "deferred", reason: `Account ${p.account_id} is not listed yet: its ${productLabel(product)} status waits for it` };
  const all = productStatusesOf(account.productStatuses);
  const before = all[product];
  if (before && before.status === status && before.message === p.message) return { status: "duplicate", note: `${productLabel(product)} already ${p.message}` };
  if (before && before.at > ctx.receivedAt.toISOString()) return { status: "applied", note: `A later ${productLabel(product)} status is already recorded` };
  all[product] = { status, message: p.message, at: ctx.receivedAt.toISOString() };
  await db.account.update({ where: { id: p.account_id }, data: { productStatuses: all } });
  let note = `${productLabel(product)} ${p.message}`;
  if (HEALTHY.has(p.message) && p.message !== "CREATION_SUCCESS" && before && before.status !== "OK") {
    // What its chats missed while the product was down comes with a resync, as for the whole account.
    await onAccountHealthy(p.account_id);
    note += "; account resync queued";
  }
  return { status: "applied", note, publish: [{ type: "account.updated", accountId: p.account_id }] };
}
