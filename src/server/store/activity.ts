// ChatActivity rows: who did what to a chat, when. Every team change (assignment, done/reopen,
// snooze/wake, and later labels and notes) writes its row here, in the same transaction as the change,
// so the thread's activity lines and accountability come from the database.
import type { Prisma } from "@/generated/prisma/client.ts";
import { db } from "../db.ts";

export type ActivityKind = "assigned" | "unassigned" | "done" | "reopened" | "snoozed" | "woken" | (string & {});

export type ActivityRow = {
  chatId: string;
  /** null when Parley itself acted (a snooze that woke, a reopen by an inbound message). */
  actorId: string | null;
  kind: ActivityKind;
  details?: Prisma.InputJsonValue;
  at?: Date;
};

type Writer = Pick<Prisma.TransactionClient, "chatActivity">;

/** Writes the rows (inside the caller's transaction when `tx` is given). */
export async function recordActivity(rows: ActivityRow[], tx: Writer = db): Promise<void> {
  if (rows.length === 0) return;
  await tx.chatActivity.createMany({
    data: rows.map((r) => ({ chatId: r.chatId, actorId: r.actorId, kind: r.kind, details: r.details, at: r.at })),
  });
}
