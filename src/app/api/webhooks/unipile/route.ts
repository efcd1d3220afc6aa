// Unipile webhooks: verify → append the raw event → answer 200 at once → apply in the background.
// An acknowledged event is already in the log; if this process dies before applying it, the
// webhook worker (any instance) applies it from there.
import { errorResponse } from "@/server/errors";
import { applySoon, receivingDone, receivingStarted } from "@/server/webhooks/apply";
import { receiveWebhook } from "@/server/webhooks/ingest";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(req: Request): Promise<Response> {
  receivingStarted();
  try {
    const receipt = await receiveWebhook(req);
    if (receipt.applyId !== undefined) applySoon(receipt.applyId, receipt.chatKey ?? null);
    return Response.json(receipt.body, { status: receipt.status });
  } catch (err) {
    // Not stored (database unreachable…): a 500 makes Unipile deliver it again later.
    return errorResponse(err);
  } finally {
    receivingDone();
  }
}
