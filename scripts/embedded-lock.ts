// PGlite holds no lock of its own and two processes on one folder corrupt it: a pid file guards .data/pglite.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEFAULTS } from "../src/server/env-defaults.mjs";

// Validated by the caller (checkEnv) before this module is loaded; empty counts as unset, as there.
const dataDir = path.resolve(import.meta.dirname, "..", process.env.PARLEY_DATA_DIR || DEFAULTS.PARLEY_DATA_DIR);
export const embeddedDataDir = path.join(dataDir, "pglite");
const lockFile = path.join(dataDir, "pglite.pid");

export function embeddedInUse(): boolean {
  if (!existsSync(lockFile)) return false;
  const pid = Number(readFileSync(lockFile, "utf8"));
  try {
    process.kill(pid, 0);
    return pid !== process.pid;
  } catch {
    return false; // a stale file from a process that died
  }
}

/** Claims the embedded database for this process; returns the release function. */
export function claimEmbedded(): () => Promise<void> {
  if (embeddedInUse()) throw new Error(`Another Parley process is using ${embeddedDataDir} (see ${lockFile}).`);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(lockFile, String(process.pid));
  return async () => rmSync(lockFile, { force: true });
}
