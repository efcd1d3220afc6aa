// The server's one logger. Readable lines by default (what console.* printed before, so start-up
// output stays as it was); LOG_FORMAT=json writes one JSON object a line ({time, level, msg, …}) for
// log collectors. LOG_LEVEL drops lines below it in both formats.
import { format as formatArgs } from "node:util";
import { logConfig } from "./env.ts";

export const LEVELS = ["debug", "info", "warn", "error"] as const;
export type Level = (typeof LEVELS)[number];
export type LogOptions = { format: "text" | "json"; level: Level; now?: () => Date; write?: (level: Level, line: string) => void };
/** Called like console.*: a message, then values (an Error's message joins the text; json adds its stack). */
export type Logger = Record<Level, (...args: unknown[]) => void>;

// The console method each level used before this module, so readable output (and its stream) is unchanged.
// Looked up per line: a test's spy on console.warn still sees it.
const METHOD = { debug: "debug", info: "log", warn: "warn", error: "error" } as const;

function jsonFields(args: unknown[]): Record<string, unknown> {
  const err = args.find((a): a is Error => a instanceof Error);
  const text = args
    .map((a) => (a instanceof Error ? a.message : typeof a === "string" ? a : formatArgs("%o", a)))
    .join(" ");
  return err ? { msg: text, err: { name: err.name, message: err.message, stack: err.stack } } : { msg: text };
}

export function createLogger(options: () => LogOptions): Logger {
  const emit = (level: Level, args: unknown[]) => {
    const o = options();
    if (LEVELS.indexOf(level) < LEVELS.indexOf(o.level)) return;
    if (o.format === "json") {
      const line = JSON.stringify({ time: (o.now?.() ?? new Date()).toISOString(), level, ...jsonFields(args) });
      if (o.write) o.write(level, line);
      else console[METHOD[level]](line);
    } else if (o.write) o.write(level, formatArgs(...args));
    else console[METHOD[level]](...args); // as console printed it: an Error with its stack and cause
  };
  return {
    debug: (...args) => emit("debug", args),
    info: (...args) => emit("info", args),
    warn: (...args) => emit("warn", args),
    error: (...args) => emit("error", args),
  };
}

/** Read on every line: cheap, and a test or the launcher may set LOG_* after this module loaded. */
export const log = createLogger(logConfig);
