// POST /api/webhooks/unipile as a plain Request → Response function: verify → append the raw event →
// answer 200 at once → apply in the background. The route re-exports it; the crash test serves it
// from a child process. An acknowledged event is already in the log; if this process dies before
// applying it, the webhook worker (any instance) applies it from there.
import { errorResponse } from "../errors.ts";
import { metrics, secondsSince } from "../metrics/registry.ts";
import { applySoon, receivingDone, receivingStarted } from "./apply.ts";
import { receiveWebhook } from "./ingest.ts";

export async function handleWebhookPost(req: Request): Promise<Response> {
  receivingStarted();
  const started = performance.now();
  let status = 500;
  try {
    const receipt = await receiveWebhook(req);
    status = receipt.status;
    const outcome = status !== 200 ? "rejected" : "duplicate" in receipt.body && receipt.body.duplicate ? "duplicate" : "received";
    metrics().webhookDeliveries.inc({ outcome });
    if (receipt.applyId !== undefined) applySoon(receipt.applyId, receipt.chatKey ?? null);
    return Response.json(receipt.body, { status });
  } catch (err) {
    // Not stored (database unreachable…): a 500 makes Unipile deliver it again later.
    metrics().webhookDeliveries.inc({ outcome: "not_stored" });
    return errorResponse(err);
  } finally {
    metrics().requestLatency.observe({ route: "webhook", outcome: String(status) }, secondsSince(started));
    receivingDone();
  }
}
