import path from "node:path";
import { defineConfig } from "vitest/config";

// unit: pure logic, no database. integration: *.int.test.ts against a real PostgreSQL
// (a private in-memory PGlite per file, or TEST_DATABASE_URL's server when set).
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, "src"), "@test": path.resolve(import.meta.dirname, "test") } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          // Vitest's default here is one worker (cores - 1): many unit files wait on child processes and timers.
          maxWorkers: 2,
          include: ["src/**/*.test.ts", "test/**/*.test.ts", "simulator/**/*.test.ts", "scripts/**/*.test.ts", "bench/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/*.replica.test.ts", "node_modules/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["src/**/*.int.test.ts", "test/**/*.int.test.ts", "simulator/**/*.int.test.ts", "scripts/**/*.int.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // PGlite and the real server are CPU-bound here (2 cores): two files at a time, or as
          // PARLEY_INT_WORKERS says (scripts/test.sh runs the PostgreSQL pass beside e2e on one).
          maxWorkers: Number(process.env.PARLEY_INT_WORKERS || 2),
        },
      },
      {
        extends: true,
        test: {
          // A PostgreSQL primary and streaming replica that the tests start themselves (test/support/pg-cluster.ts).
          name: "replica",
          include: ["src/**/*.replica.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
