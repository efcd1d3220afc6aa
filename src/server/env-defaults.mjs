// Defaults of the settings that more than env.ts needs: next.config.mjs cannot load env.ts (TypeScript,
// zod) when Next reads its config, so both import these plain values.
export const DEFAULTS = Object.freeze({
  PORT: 3000,
  SIMULATOR_PORT: 3100,
  DATABASE_POOL_MAX: 10,
  UPLOAD_MAX_BYTES: 15 * 1024 * 1024,
  PARLEY_DATA_DIR: ".data",
});
