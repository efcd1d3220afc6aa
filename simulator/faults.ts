// The faults a test or demo can switch on through POST /_sim/faults; all off by default.

export type Faults = {
  /** Added before every /api/v1 answer. */
  latencyMs: number;
  /** Share (0–1) of /api/v1 requests answered with errorStatus. */
  errorRate: number;
  errorStatus: number;
  /** The next N /api/v1 requests fail with errorStatus (deterministic, for tests). */
  failNext: number;
  /** Seconds for a Retry-After header on injected errors (v1 does not document one; off by default). */
  retryAfterSec: number | null;
  /** Share (0–1) of /api/v1 requests that never get an answer. */
  hangRate: number;
  /** Every webhook is delivered this many times. */
  webhookDuplicates: number;
  /** Webhooks emitted close together are delivered in random order. */
  webhookShuffle: boolean;
  /** Share (0–1) of webhooks never sent. */
  webhookDropRate: number;
  /** Label every JSON delivery application/x-www-form-urlencoded, even when a Content-Type was registered. */
  webhookMislabel: boolean;
  /** Sends (POST /chats/:id/messages, POST /chats) fail with this status. */
  sendFailStatus: number | null;
  /** Archive, mute and pin (PATCH /chats/:id other than setReadStatus) fail with this status. */
  chatActionFailStatus: number | null;
  /** Message actions (react, edit, delete, forward) fail with this status. */
  actionFailStatus: number | null;
  /** Sends answer `message_id: null` (the echo webhook still carries the id). */
  nullMessageIds: boolean;
  /** Message listing of these chats always fails with 500. */
  failingChatIds: string[];
  /** Message webhooks of these chats are never sent (Unipile's drop after its last retry). */
  webhookDropChatIds: string[];
};

export const NO_FAULTS: Faults = {
  latencyMs: 0,
  errorRate: 0,
  errorStatus: 500,
  failNext: 0,
  retryAfterSec: null,
  hangRate: 0,
  webhookDuplicates: 1,
  webhookShuffle: false,
  webhookDropRate: 0,
  webhookMislabel: false,
  sendFailStatus: null,
  chatActionFailStatus: null,
  actionFailStatus: null,
  nullMessageIds: false,
  failingChatIds: [],
  webhookDropChatIds: [],
};
