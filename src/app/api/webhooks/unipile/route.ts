// Unipile webhooks: the handler lives in src/server/webhooks/endpoint.ts.
import { handleWebhookPost } from "@/server/webhooks/endpoint";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = handleWebhookPost;
