// Snoozed chats wake by themselves. The due time is in the database (Chat.snoozedUntil); whichever
// instance is up claims due chats with FOR UPDATE SKIP LOCKED (two instances never wake one chat
// twice), and a local timer is set to the next due time. The timer is re-armed whenever a chat changes
// on any instance (chat.updated on the realtime bus, which crosses instances through NOTIFY), and on
// start everything overdue wakes at once, so a restart loses nothing. No pg_cron: PGlite has none.
import { db } from "../db.ts";
import { publishChatsUpdated, subscribe } from "../realtime/bus.ts";
import { recordActivity } from "../store/activity.ts";
import { log } from "../log.ts";

const BATCH = 200;
/** Look again at least this often (a missed event, clock drift); the timer normally fires sooner. */
const MAX_SLEEP_MS = 60_000;

/** Wakes every snoozed chat that is due now. Returns how many woke. */
export async function wakeDueChats(): Promise<number> {
  let total = 0;
  for (;;) {
    const woke = await db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; accountId: string; snoozedUntil: Date }[]>`
        WITH due AS (
          SELECT "id" FROM "Chat"
          WHERE "workState" = 'snoozed' AND "snoozedUntil" <= (now() AT TIME ZONE 'UTC')
          ORDER BY "snoozedUntil" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
        ), old AS (
          SELECT c."id", c."snoozedUntil" FROM "Chat" c JOIN due USING ("id")
        )
        UPDATE "Chat" c SET "workState" = 'open', "snoozedUntil" = NULL, "snoozeUntilReply" = false,
          "wokenAt" = (now() AT TIME ZONE 'UTC'), "updatedAt" = (now() AT TIME ZONE 'UTC')
        FROM old WHERE c."id" = old."id"
        RETURNING c."id", c."accountId", old."snoozedUntil"`;
      await recordActivity(
        rows.map((r) => ({
          chatId: r.id,
          actorId: null,
          kind: "woken",
          details: { reason: "time", until: r.snoozedUntil.toISOString() },
        })),
        tx,
      );
      return rows;
    });
    await publishChatsUpdated(woke);
    total += woke.length;
    if (woke.length < BATCH) return total;
  }
}

/** When the next snoozed chat is due, or null when none is snoozed until a time. */
export async function nextWakeAt(): Promise<Date | null> {
  const next = await db.chat.findFirst({
    where: { workState: "snoozed", snoozedUntil: { not: null } },
    orderBy: { snoozedUntil: "asc" },
    select: { snoozedUntil: true },
  });
  return next?.snoozedUntil ?? null;
}

export type WakeupWorker = { stop(): Promise<void> /** Re-reads the next due time now (tests). */; rearm(): Promise<void> };

export async function startWakeupWorker(): Promise<WakeupWorker> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let pass: Promise<void> = Promise.resolve();

  // One pass at a time: wake what is due, then sleep until the next due time.
  const run = () => {
    pass = pass.then(async () => {
      if (stopped) return;
      clearTimeout(timer);
      try {
        await wakeDueChats();
        const next = await nextWakeAt();
        const ms = next ? Math.max(0, next.getTime() - Date.now()) : MAX_SLEEP_MS;
        if (!stopped) timer = setTimeout(run, Math.min(ms, MAX_SLEEP_MS));
      } catch (err) {
        log.error("snooze wakeups:", err);
        if (!stopped) timer = setTimeout(run, 5_000);
      }
    });
    return pass;
  };

  // A snooze set on any instance publishes chat.updated: look at the next due time again (debounced).
  let rearmTimer: NodeJS.Timeout | undefined;
  const events = await subscribe((e) => e.type === "chat.updated", { signal: controller.signal });
  void (async () => {
    for await (const _ of events) {
      // Throttled, not debounced: a steady stream of chat updates must not postpone the look forever.
      rearmTimer ??= setTimeout(() => {
        rearmTimer = undefined;
        void run();
      }, 50);
    }
  })().catch((err) => {
    if (!stopped) log.error("snooze wakeups stopped listening:", err);
  });

  await run();
  return {
    rearm: run,
    async stop() {
      stopped = true;
      controller.abort();
      clearTimeout(timer);
      clearTimeout(rearmTimer);
      await pass;
    },
  };
}

const g = globalThis as { __parleyWakeups?: Promise<WakeupWorker> };

/** Started once per server process with the other workers (jobs/start.ts). */
export async function startWakeups(): Promise<void> {
  g.__parleyWakeups ??= startWakeupWorker();
  await g.__parleyWakeups;
}
