// GET /api/health: is the database reachable, and is Unipile? JSON, 200 when both are fine, else 503.
import { checkHealth } from "@/server/services/health-service";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503 });
}
