import { describe, expect, it } from "vitest";
import { createLogger, type Level, type LogOptions } from "./log.ts";

function capture(options: Omit<LogOptions, "write">) {
  const lines: { level: Level; line: string }[] = [];
  const log = createLogger(() => ({ ...options, write: (level, line) => lines.push({ level, line }) }));
  return { log, lines };
}

describe("the logger", () => {
  it("writes one JSON object a line with time, level and message when LOG_FORMAT=json", () => {
    const { log, lines } = capture({ format: "json", level: "info", now: () => new Date("2026-01-02T03:04:05.000Z") });
    log.info(`Webhooks at ${"http://x/api/webhooks/unipile"}: 1 created`);
    log.error("webhook event 7:", new Error("database is gone"));
    expect(lines.map((l) => JSON.parse(l.line))).toEqual([
      { time: "2026-01-02T03:04:05.000Z", level: "info", msg: "Webhooks at http://x/api/webhooks/unipile: 1 created" },
      {
        time: "2026-01-02T03:04:05.000Z",
        level: "error",
        msg: "webhook event 7: database is gone",
        err: { name: "Error", message: "database is gone", stack: expect.stringContaining("database is gone") },
      },
    ]);
    expect(lines.every((l) => !l.line.includes("\n"))).toBe(true);
  });

  it("keeps the readable lines as console printed them by default", () => {
    const { log, lines } = capture({ format: "text", level: "info" });
    log.info("• Database schema is up to date");
    log.warn("sync run %s stopped:", "r1", "boom");
    expect(lines).toEqual([
      { level: "info", line: "• Database schema is up to date" },
      { level: "warn", line: "sync run r1 stopped: boom" },
    ]);
  });

  it("drops lines below LOG_LEVEL in both formats", () => {
    for (const format of ["text", "json"] as const) {
      const { log, lines } = capture({ format, level: "warn" });
      log.debug("d");
      log.info("i");
      log.warn("w");
      log.error("e");
      expect(lines.map((l) => l.level)).toEqual(["warn", "error"]);
    }
    const { log, lines } = capture({ format: "text", level: "debug" });
    log.debug("d");
    expect(lines).toEqual([{ level: "debug", line: "d" }]);
  });
});
