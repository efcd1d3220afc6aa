// Where webhook handling asks the sync engine for work (the engine owns the queue, see sync/runs.ts):
// a chat seen for the first time (its history), a gap in a known chat, an account healthy again.
// Queueing is best effort: a failure here must not fail the webhook that revealed the need.
import { enqueueSync, queueChatSync } from "../sync/runs.ts";
import { log } from "../log.ts";

async function quietly(what: string, fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (err) {
    log.error(`could not queue ${what}:`, err);
  }
}

export function onChatDiscovered(chatId: string, _accountId: string): Promise<void> {
  return quietly("history sync of a new chat", () => queueChatSync(chatId, "new chat from webhook"));
}

export function onChatGap(chatId: string): Promise<void> {
  return quietly("gap sync", () => queueChatSync(chatId, "gap"));
}

/** Messages missed while the account was down: resync it (Unipile also redelivers some by webhook). */
export function onAccountHealthy(accountId: string): Promise<void> {
  return quietly("account resync", () => enqueueSync({ scope: "account", accountId, reason: "account status OK", dedupe: "queued" }));
}
