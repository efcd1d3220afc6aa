// Defaults of the settings that more than env.ts needs: next.config.mjs cannot load env.ts (TypeScript,
// zod) when Next reads its config, so both import these plain values.
export const DEFAULTS = Object.freeze({
  PORT: 3000,
  SIMULATOR_PORT: 3100,
  DATABASE_POOL_MAX: 10,
  UPLOAD_MAX_BYTES: 15 * 1024 * 1024,
  UPLOAD_MAX_FILES: 10,
  // Types a browser would run or render as a page when the recipient opens them, and programs.
  UPLOAD_BLOCKED_TYPES:
    "text/html,application/xhtml+xml,image/svg+xml,text/javascript,application/javascript,application/x-msdownload," +
    "application/x-msdos-program,application/x-executable,application/x-sh,application/java-archive," +
    ".html,.htm,.xhtml,.shtml,.svg,.js,.mjs,.exe,.msi,.com,.scr,.bat,.cmd,.ps1,.vbs,.jar,.sh,.dll,.apk,.app,.dmg",
  UPLOAD_CONCURRENCY: 2,
  PARLEY_DATA_DIR: ".data",
});

/** Room in a server action's body for UPLOAD_MAX_BYTES of files plus the form's other fields. */
export function actionBodyLimit(uploadMaxBytes = Number(process.env.UPLOAD_MAX_BYTES || DEFAULTS.UPLOAD_MAX_BYTES)) {
  return uploadMaxBytes + 1024 * 1024;
}
