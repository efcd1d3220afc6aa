"use server";
// Resync buttons (admin page and chat header): admin-only, return at once with the queued run; the
// sync worker runs it in the background. Pressing twice returns the run already queued or running.
import { z } from "zod";
import { currentUser } from "@/server/auth";
import { AppError } from "@/server/errors";
import { recordAudit } from "@/server/security/audit";
import { requestAddress } from "@/server/security/client-address";
import { requestResync } from "@/server/sync/runs";

export type ResyncResult = { ok: true; runId: string; alreadyRunning: boolean } | { ok: false; error: string; code: string };

const targetSchema = z.discriminatedUnion("scope", [
  z.object({ scope: z.literal("all") }),
  z.object({ scope: z.literal("account"), accountId: z.string().min(1).max(200) }),
  z.object({ scope: z.literal("chat"), chatId: z.string().min(1).max(200) }),
]);

export async function resyncAction(target: unknown): Promise<ResyncResult> {
  const user = await currentUser();
  if (!user) return { ok: false, code: "UNAUTHORIZED", error: "Your session ended. Sign in again." };
  if (user.role !== "admin") return { ok: false, code: "FORBIDDEN", error: "Only admins can start a resync." };
  const parsed = targetSchema.safeParse(target);
  if (!parsed.success) return { ok: false, code: "BAD_REQUEST", error: "Nothing to resync: unknown target." };
  try {
    const { runId, created } = await requestResync(parsed.data, user.email);
    const target = parsed.data.scope === "all" ? "all" : parsed.data.scope === "account" ? parsed.data.accountId : parsed.data.chatId;
    await recordAudit({ kind: "sync.resync", actor: user, address: await requestAddress(), target, details: { scope: parsed.data.scope, runId } });
    return { ok: true, runId, alreadyRunning: !created };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code, error: err.message };
    console.error(err);
    return { ok: false, code: "INTERNAL", error: "Could not start the resync. Try again." };
  }
}
