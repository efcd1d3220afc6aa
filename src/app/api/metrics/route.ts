// Prometheus metrics (token-protected): the handler lives in src/server/metrics/scrape.ts.
import { handleMetricsGet } from "@/server/metrics/scrape";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = handleMetricsGet;
