"use server";
// Resync buttons (admin page and chat header): admin-only, return at once with the queued run; the
// sync worker runs it in the background. Pressing twice returns the run already queued or running.
import { z } from "zod";
import { AppError } from "../errors.ts";
import { recordAudit } from "../security/audit.ts";
import { requestAddress } from "../security/client-address.ts";
import { requestResync } from "../sync/runs.ts";
import { runAction } from "./run.ts";

const targetSchema = z.discriminatedUnion(
  "scope",
  [
    z.object({ scope: z.literal("all") }),
    z.object({ scope: z.literal("account"), accountId: z.string().min(1).max(200) }),
    z.object({ scope: z.literal("chat"), chatId: z.string().min(1).max(200) }),
  ],
  { error: "Nothing to resync: unknown target." },
);

export async function resyncAction(target: unknown) {
  return runAction(async (user) => {
    if (user.role !== "admin") throw new AppError("FORBIDDEN", "Only admins can start a resync.");
    const parsed = targetSchema.safeParse(target);
    if (!parsed.success) throw new AppError("BAD_REQUEST", "Nothing to resync: unknown target.");
    const { runId, created } = await requestResync(parsed.data, user.email);
    const t = parsed.data;
    const auditTarget = t.scope === "all" ? "all" : t.scope === "account" ? t.accountId : t.chatId;
    await recordAudit({ kind: "sync.resync", actor: user, address: await requestAddress(), target: auditTarget, details: { scope: t.scope, runId } });
    return { runId, alreadyRunning: !created };
  });
}
