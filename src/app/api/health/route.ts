// GET /api/health: liveness for anyone (200, no upstream calls); for a signed-in admin, the
// database and Unipile checks (200 when both are fine, else 503).
import { currentUser } from "@/server/auth";
import { checkHealth, liveness } from "@/server/services/health-service";

export const dynamic = "force-dynamic";

export async function GET() {
  const user = await currentUser().catch(() => null); // a database outage must not hide liveness
  if (user?.role !== "admin") return Response.json(liveness(), { headers: { "cache-control": "no-store" } });
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
