import { actionBodyLimit } from "./src/server/env-defaults.mjs";
import { SECURITY_HEADERS } from "./src/server/security-headers.mjs";

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite, pg and Prisma's runtime stay plain Node modules on the server.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg", "@prisma/adapter-pg"],
  poweredByHeader: false,
  typedRoutes: false,
  devIndicators: false,
  // Sends with attachments are server actions: room for UPLOAD_MAX_BYTES plus the form's other fields.
  // Read here because Next loads this file before (and apart from) env.ts; the launcher has validated it.
  experimental: { serverActions: { bodySizeLimit: actionBodyLimit() } },
  // Static headers on every response, API routes included (which the proxy skips).
  async headers() {
    return [{ source: "/:path*", headers: Object.entries(SECURITY_HEADERS).map(([key, value]) => ({ key, value })) }];
  },
};

export default nextConfig;
