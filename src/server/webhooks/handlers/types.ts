// What a webhook handler gets and returns. Handlers write through src/server/store (or small targeted
// updates of one message), never publish themselves: apply.ts publishes after the status is recorded.
import type { RealtimeEvent } from "../../realtime/bus.ts";
import type { MessagingWebhook } from "../../unipile/webhook-schemas.ts";

export type HandlerContext = {
  eventId: bigint;
  receivedAt: Date;
  /** 1 on the first try. */
  attempts: number;
  /** An admin's Replay of a logged event: it may store what is missing, but it is not news (no reopen). */
  replay?: boolean;
};

export type Outcome =
  | {
      status: "applied";
      note?: string;
      publish?: RealtimeEvent[];
      /** Unipile message ids now stored: their deferred events can run. */
      storedMessages?: string[];
    }
  /** The message is not stored yet: keep the event and apply it when the message arrives. */
  | { status: "deferred"; reason: string; messageId?: string }
  /** Nothing to change: the same state was already recorded (a repeat the dedupe key could not see). */
  | { status: "duplicate"; note: string };

export type MessageHandler = (p: MessagingWebhook, ctx: HandlerContext) => Promise<Outcome>;

export const deferred = (messageId: string): Outcome => ({
  status: "deferred",
  reason: `Waiting for message ${messageId}, which is not stored yet`,
  messageId,
});

/** When the event happened: its own timestamp when it has a valid one, else when we received it. */
export function eventTime(p: { timestamp?: string | null }, ctx: HandlerContext): Date {
  return p.timestamp && !Number.isNaN(Date.parse(p.timestamp)) ? new Date(p.timestamp) : ctx.receivedAt;
}
