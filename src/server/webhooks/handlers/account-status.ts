// Account status webhooks (fired on transitions only): the account's health shown in the UI. The
// payload has no time, so the receipt time orders them; OK-like transitions queue a resync of the account.
import { db } from "../../db.ts";
import { getUnipile } from "../../unipile/client.ts";
import { UnipileError } from "../../unipile/errors.ts";
import { onAccountHealthy } from "../sync-hooks.ts";
import type { HandlerContext, Outcome } from "./types.ts";

/** Transitions that mean "working again"; their health is OK and the account is resynced. */
const HEALTHY = new Set(["OK", "RECONNECTED", "SYNC_SUCCESS", "CREATION_SUCCESS"]);

function healthOf(message: string): string {
  return HEALTHY.has(message) ? "OK" : message;
}

export async function accountStatus(
  p: { account_id: string; account_type: string | undefined; message: string },
  ctx: HandlerContext,
): Promise<Outcome> {
  const status = healthOf(p.message);
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
