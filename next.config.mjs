import { actionBodyLimit } from "./src/server/env-defaults.mjs";

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
};

export default nextConfig;
