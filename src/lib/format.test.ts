import { describe, expect, it } from "vitest";
import { clockTime, dayLabel, formatBytes, formatDuration, listTime, shortDate, timeAgo } from "./format.ts";

// Dates are built in the runtime's own zone, as the browser does.
const now = new Date(2025, 2, 4, 12, 0, 0); // Tue Mar 4 2025, noon

describe("list times", () => {
  it("shows a time of today as the clock time, from the first minute on, so it never jumps from '8m' to '07:55 AM'", () => {
    for (const d of [new Date(2025, 2, 4, 11, 59, 30), new Date(2025, 2, 4, 11, 52), new Date(2025, 2, 4, 7, 8)]) {
      expect(listTime(d, now)).toBe(clockTime(d));
    }
  });

  it("uses the same clock words as the logs and the thread, without a leading zero in 12-hour locales", () => {
    const d = new Date(2025, 2, 4, 7, 8, 25);
    expect(clockTime(d)).toBe(d.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" }));
    expect(clockTime(d, { seconds: true })).toBe(d.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit", second: "2-digit" }));
  });

  it("says Yesterday, then the weekday within a week, then the date (with the year only when it differs)", () => {
    expect(listTime(new Date(2025, 2, 3, 23, 59), now)).toBe("Yesterday");
    expect(listTime(new Date(2025, 2, 1, 9, 0), now)).toBe(new Date(2025, 2, 1).toLocaleDateString(undefined, { weekday: "short" }));
    expect(listTime(new Date(2025, 0, 20), now)).toBe(shortDate(new Date(2025, 0, 20), now));
    expect(shortDate(new Date(2023, 0, 20), now)).toContain("2023");
    expect(shortDate(new Date(2025, 0, 20), now)).not.toContain("2025");
  });

  it("labels thread days", () => {
    expect(dayLabel(new Date(2025, 2, 4, 0, 1), now)).toBe("Today");
    expect(dayLabel(new Date(2025, 2, 3, 23, 59), now)).toBe("Yesterday");
  });
});

describe("relative times for sync state", () => {
  it("counts minutes and hours, then gives the date", () => {
    expect(timeAgo(null, now)).toBe("never");
    expect(timeAgo(new Date(now.getTime() - 10_000), now)).toBe("just now");
    expect(timeAgo(new Date(now.getTime() - 8 * 60_000), now)).toBe("8 min ago");
    expect(timeAgo(new Date(now.getTime() - 3 * 3_600_000), now)).toBe("3 h ago");
    expect(timeAgo(new Date(2025, 1, 1), now)).toBe(shortDate(new Date(2025, 1, 1), now));
  });
});

describe("sizes and durations", () => {
  it("formats sizes one way for the composer, attachments and the server's limit errors", () => {
    expect(formatBytes(undefined)).toBe("");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(14_600)).toBe("14 KB");
    expect(formatBytes(25 * 1024 * 1024)).toBe("25 MB");
    expect(formatBytes(2.5 * 1024 * 1024)).toBe("2.5 MB");
  });

  it("formats run durations", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(4200)).toBe("4.2 s");
    expect(formatDuration(185_000)).toBe("3 min 5 s");
  });
});
