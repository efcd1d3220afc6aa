// Account status webhooks (fired on transitions only): the account's health shown in the UI. The
// payload has no time, so the receipt time orders them; OK-like transitions queue a resync of the account.
import { db } from "../../db.ts";
import { onAccountHealthy } from "../sync-hooks.ts";
import type { HandlerContext, Outcome } from "./types.ts";

/** Transitions that mean "working again"; their health is OK and the account is resynced. */
const HEALTHY = new Set(["OK", "RECONNECTED", "SYNC_SUCCESS", "CREATION_SUCCESS"]);

export function healthOf(message: string): string {
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
  if (before?.statusAt && before.statusAt > ctx.receivedAt) {
    return { status: "applied", note: "A later status is already recorded" };
  }
  await db.account.upsert({
    where: { id: p.account_id },
    // An account we never listed: a placeholder the next account sync fills in.
    create: { id: p.account_id, provider: p.account_type ?? "UNKNOWN", name: p.account_id, status, statusMessage: p.message, statusAt: ctx.receivedAt },
    update: { status, statusMessage: p.message, statusAt: ctx.receivedAt },
  });
  let note: string | undefined;
  if (HEALTHY.has(p.message) && p.message !== "CREATION_SUCCESS") {
    await onAccountHealthy(p.account_id);
    note = "account resync queued";
  }
  return { status: "applied", note, publish: [{ type: "account.updated", accountId: p.account_id }] };
}
