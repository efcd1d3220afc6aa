import { describe, expect, it } from "vitest";
import { END, renderBenchTable, replaceBetweenMarkers, START } from "./bench-table.ts";

const run = {
  profile: "quick",
  startedAt: "2026-12-01T17:00:00.000Z",
  seconds: 240,
  benches: {
    reads: {
      dataset: { chats: 5000, messages: 100000, attachments: 33000, people: 10000 },
      loadAverageAtStart: 1.5,
      results: [
        {
          name: "chat list: first page",
          service: { p50: 2.1, p95: 3.4, max: 9 },
          http: { p50: 4.2, p95: 6, max: 12 },
          httpHandler: { p50: 2.5, p95: 3, max: 4 },
          raw: { p50: 0.7, p95: 1.1, max: 2 },
          serviceOverRaw: 3,
          httpOverRaw: 6,
          meetsTarget: false,
        },
        { name: "search: a | pipe", service: { p50: 10, p95: 20, max: 30 }, http: null, raw: { p50: 8, p95: 15, max: 20 }, serviceOverRaw: 1.25, httpOverRaw: null, meetsTarget: true },
        { name: "thread: window", error: "boom" },
      ],
      absent: ["search: people"],
      targets: { search: "p95 ≤ 50 ms" },
      memoryDuringReadsAndSearch: { appPeakRssMb: 310, launcherPeakRssMb: 120 },
    },
    webhooks: { database: "postgresql", ingest: { eventsPerSecond: 2100, ackP50Ms: 3, ackP99Ms: 18 }, push: { p50Ms: 9, p95Ms: 30 }, memory: { appPeakRssMb: 400, launcherPeakRssMb: null } },
    syncPglite: { database: "pglite", messagesPerSecond: 5200, messages: 40000 },
    browser: { results: [{ name: "login → first chat row", p50: 900, p95: 1200 }] },
  },
};

describe("renderBenchTable", () => {
  it("has a row per read with each way's p50 / p95 and the ratios, from the run's JSON", () => {
    const md = renderBenchTable(run);
    expect(md).toContain("profile `quick` (5,000 chats, 100,000 messages, 33,000 attachments, 10,000 people)");
    expect(md).toContain("| chat list: first page | 2.1 / 3.4 | 4.2 / 6 (2.5) | 0.7 / 1.1 | 3× | 6× | missed |");
    // A pipe in a name cannot break the table; a way not measured reads as a dash.
    expect(md).toContain("| search: a \\| pipe | 10 / 20 | – | 8 / 15 | 1.25× | – | met |");
    expect(md).toContain("Targets: search: p95 ≤ 50 ms.");
    expect(md).toContain("| thread: window | failed: boom |");
    expect(md).toContain("| search: people | absent |");
  });

  it("lists writes, memory, sync and browser figures, and says which benchmark failed", () => {
    const md = renderBenchTable(run);
    expect(md).toContain("| webhook ingest, postgresql | 2,100 events/s, ack p50 3 / p99 18 ms |");
    expect(md).toContain("| peak RSS during reads and search: app / launcher | 310 MB / 120 MB |");
    expect(md).toContain("| peak RSS during the ingest: app / launcher | 400 MB / – |");
    expect(md).toContain("| first sync, pglite | 5,200 messages/s (40,000 messages) |");
    expect(md).toContain("| browser: login → first chat row | p50 900 / p95 1,200 ms |");
    expect(renderBenchTable({ benches: { webhooks: { error: "exited with 1" } } })).toContain("| webhooks | failed: exited with 1 |");
  });
});

describe("replaceBetweenMarkers", () => {
  it("replaces only what is between the markers, again and again", () => {
    const readme = `# X\n\n## Performance\n${START}\nold table\n${END}\n\n## Next\n`;
    const once = replaceBetweenMarkers(readme, "| a |");
    expect(once).toBe(`# X\n\n## Performance\n${START}\n| a |\n${END}\n\n## Next\n`);
    expect(replaceBetweenMarkers(once, "| b |")).toBe(`# X\n\n## Performance\n${START}\n| b |\n${END}\n\n## Next\n`);
  });

  it("refuses a README without the markers", () => {
    expect(() => replaceBetweenMarkers("# X\n", "| a |")).toThrow(/markers/);
  });
});
