// Open SSE streams outlive the request that checked the session: re-check it every few seconds and
// end the stream when the session ended, the user was disabled, or their role changed (the client
// reconnects and gets what the new role allows, or is refused).
import { TRPCError } from "@trpc/server";
import type { SessionUser } from "../access.ts";
import { metrics } from "../metrics/registry.ts";
import { liveUser } from "./sessions.ts";

const STREAM_RECHECK_MS = 3_000;

export function guardStream(user: SessionUser, signal: AbortSignal | undefined, everyMs = STREAM_RECHECK_MS) {
  const ended = new AbortController();
  let reason: string | null = null;
  const check = async () => {
    const now = await liveUser(user);
    if (!now) reason = "Your session ended. Sign in again.";
    else if (now.role !== user.role) reason = "Your role changed. Reconnecting.";
    if (reason) ended.abort();
  };
  const timer = setInterval(() => void check().catch(() => {}), everyMs);
  timer.unref?.();
  // Counted open until the stream ends either way (client gone or the loop finished), once.
  metrics().sseClients.inc();
  let open = true;
  const stop = () => {
    clearInterval(timer);
    if (open) metrics().sseClients.dec();
    open = false;
  };
  signal?.addEventListener("abort", stop, { once: true });
  return {
    signal: signal ? AbortSignal.any([signal, ended.signal]) : ended.signal,
    /** Call after the stream's loop: a revoked stream ends with an error, not silently. */
    finish() {
      stop();
      if (reason) throw new TRPCError({ code: "UNAUTHORIZED", message: reason });
    },
  };
}
