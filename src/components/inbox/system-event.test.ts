import { describe, expect, it } from "vitest";
import { systemEventText } from "./system-event";

const ev = (eventType: number | null, over: Partial<Parameters<typeof systemEventText>[0]> = {}) =>
  systemEventText({ text: null, eventType, senderName: "Léa Moreau", isSender: false, ...over });

describe("systemEventText", () => {
  it("names what happened, with the person's first name", () => {
    expect(ev(3)).toBe("Group created");
    expect(ev(5)).toBe("Léa was added");
    expect(ev(7)).toBe("Léa left");
    expect(ev(8)).toBe("Missed call");
    expect(ev(9)).toBe("Missed video call");
  });
  it("speaks to the reader about themselves", () => {
    expect(ev(5, { isSender: true, senderName: "You" })).toBe("You were added");
  });
  it("keeps Unipile's own text when there is one, and never says 'System event'", () => {
    expect(ev(4, { text: "Maya renamed the group to Crew" })).toBe("Maya renamed the group to Crew");
    expect(ev(null)).toBe("Chat updated");
  });
});
