import { describe, expect, it } from "vitest";
import { threadRows } from "./timeline.ts";
import type { ThreadMessage, TimelineEntry } from "./thread-types.ts";

const msg = (id: string, minute: number) =>
  ({ id, clientTxnId: null, sentAt: new Date(minute * 60_000) }) as unknown as ThreadMessage;
const note = (id: string, minute: number) => ({ type: "note", id, at: new Date(minute * 60_000) }) as unknown as TimelineEntry;

describe("thread rows", () => {
  it("places entries between messages by time, after a message of the same instant, and keeps sends on their way last", () => {
    const rows = threadRows(
      [msg("m1", 1), msg("m2", 3), msg("local-1", 2)],
      [note("n0", 0), note("n3", 3), note("n2", 2), note("n9", 9)],
    );
    expect(rows.map((r) => r.key)).toEqual(["note-n0", "m1", "note-n2", "m2", "note-n3", "note-n9", "local-1"]);
  });
});
