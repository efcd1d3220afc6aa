import { describe, expect, it } from "vitest";
import { activitySentence } from "./activity-text.ts";

const ana = { id: "u1", name: "Ana" };
const ben = { id: "u2", name: "Ben" };
const line = (kind: string, o: Partial<Parameters<typeof activitySentence>[0]> = {}) =>
  activitySentence({ kind, actor: ana, subject: null, until: null, label: null, ...o });

describe("activity lines", () => {
  it("names the actor and the assignee", () => {
    expect(line("assigned", { subject: ben })).toBe("Ana assigned this to Ben");
    expect(line("assigned", { subject: ana })).toBe("Ana took this");
    expect(line("unassigned", { subject: ben })).toBe("Ana unassigned Ben");
    expect(line("done")).toBe("Ana marked this done");
  });

  it("says Parley when nobody acted, and Someone for a user who is gone", () => {
    expect(line("woken", { actor: null })).toBe("Parley brought this back from snooze");
    expect(line("reopened", { actor: null })).toBe("Parley reopened this");
    expect(line("assigned", { subject: { id: "x", name: "Someone" } })).toBe("Ana assigned this to Someone");
  });

  it("says until when for a timed snooze and until they reply otherwise", () => {
    const now = new Date(2026, 11, 1, 9, 0);
    expect(
      activitySentence({ kind: "snoozed", actor: ana, subject: null, until: new Date(2026, 11, 1, 15, 30), label: null }, now),
    ).toMatch(/^Ana snoozed this until 3:30\s?PM$/);
    expect(line("snoozed")).toBe("Ana snoozed this until they reply");
    expect(line("labelled", { label: "VIP" })).toBe("Ana added the label VIP");
  });
});
