// The audit log: one table of events with a kind (sign-ins, user and grant changes, resyncs,
// replays; chat activity may add its own kinds). Recording never fails the action it describes.
import { db } from "../db.ts";
import { env } from "../env.ts";
import type { Prisma } from "../../generated/prisma/client.ts";
import { log } from "../log.ts";

export type AuditKind =
  | "auth.sign_in"
  | "auth.sign_in_failed"
  | "auth.sign_in_throttled"
  | "auth.sign_out"
  | "auth.sign_out_everywhere"
  | "auth.unlock"
  | "user.add"
  | "user.disabled"
  | "user.role"
  | "user.password"
  | "user.grant"
  | "user.revoke"
  | "sync.resync"
  | "webhook.replay"
  | (string & {});

export type AuditActor = { id: string; email: string } | null;

export type AuditEntry = {
  kind: AuditKind;
  actor: AuditActor;
  address: string | null;
  /** What the action was about: a user's email, an account or chat id, a webhook event id. */
  target?: string | null;
  details?: Prisma.InputJsonValue;
};

let lastPrune = 0;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export async function recordAudit(entry: AuditEntry): Promise<void> {
  try {
    await db.auditEvent.create({
      data: {
        kind: entry.kind,
        actorId: entry.actor?.id ?? null,
        actorEmail: entry.actor?.email.slice(0, 320) ?? null,
        address: entry.address,
        target: entry.target?.slice(0, 400) ?? null,
        details: entry.details,
      },
    });
    if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = Date.now();
      await pruneAudit();
    }
  } catch (err) {
    // The action already happened; losing its log line must not turn it into an error for the user.
    log.error(`audit: could not record ${entry.kind}:`, err instanceof Error ? err.message : err);
  }
}

/** Drops events older than AUDIT_RETENTION_DAYS; returns how many. */
export async function pruneAudit(now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - env.AUDIT_RETENTION_DAYS * 24 * 60 * 60 * 1000);
  const { count } = await db.auditEvent.deleteMany({ where: { at: { lt: before } } });
  return count;
}

export type AuditRow = {
  id: string;
  at: Date;
  kind: string;
  actorEmail: string | null;
  address: string | null;
  target: string | null;
  details: unknown;
};

/** Newest first, one page; `cursor` is the last id of the previous page. */
export async function listAudit(input: { cursor?: string | null; kind?: string | null; limit?: number } = {}) {
  const limit = input.limit ?? 100;
  const rows = await db.auditEvent.findMany({
    where: {
      ...(input.kind ? { kind: { startsWith: input.kind } } : {}),
      ...(input.cursor ? { id: { lt: BigInt(input.cursor) } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
    select: { id: true, at: true, kind: true, actorEmail: true, address: true, target: true, details: true },
  });
  const page = rows.slice(0, limit).map((r): AuditRow => ({ ...r, id: r.id.toString() }));
  return { items: page, nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
}
