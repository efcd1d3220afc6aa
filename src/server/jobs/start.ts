// Starts this process's background work once: each room (webhooks, sync, snooze wakeups) adds its starter here.
import { env } from "../env.ts";
import { startSync } from "../sync/worker.ts";
import { startWebhooks } from "../webhooks/worker.ts";
import { log } from "../log.ts";
import { startWakeups } from "./wakeups.ts";

const g = globalThis as { __parleyBackground?: Promise<void> };

export function startBackground(): Promise<void> {
  g.__parleyBackground ??= (async () => {
    if (!env.PARLEY_WORKERS) return;
    const starters: (() => Promise<void>)[] = [startWebhooks, startSync, startWakeups];
    for (const start of starters) {
      await start().catch((err) => log.error("background start failed:", err));
    }
  })();
  return g.__parleyBackground;
}
