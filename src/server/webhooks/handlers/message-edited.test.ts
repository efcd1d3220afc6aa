import { describe, expect, it } from "vitest";
import { withEdit } from "./message-edited.ts";

const T1 = "2025-03-01T10:01:00.000Z";
const T2 = "2025-03-01T10:02:00.000Z";
const never = { text: "hello", editHistory: null };

describe("withEdit", () => {
  it("makes the new text current and keeps the original with the time it was replaced", () => {
    expect(withEdit(never, "hello!", T1)).toEqual({
      text: "hello!",
      originalText: "hello",
      editHistory: [{ text: "hello", replacedAt: T1 }],
      edited: true,
    });
  });

  it("changes nothing for a repeat of an edit already recorded, or the same text again", () => {
    const once = withEdit(never, "hello!", T1)!;
    expect(withEdit(once, "hello!", T1)).toBeNull();
    expect(withEdit(once, "hello!", T2)).toBeNull();
    expect(withEdit(never, "hello", T1)).toBeNull();
  });

  it("changes nothing for the same edit told with an earlier time (ours, after its echo was applied)", () => {
    const echoed = withEdit(never, "hello!", T2)!;
    expect(withEdit(echoed, "hello!", T1)).toBeNull();
    // Another text at the earlier time is another edit: it goes into the history.
    expect(withEdit(echoed, "hello?", T1)!.editHistory.map((h) => h.text)).toEqual(["hello", "hello?"]);
  });

  it("ends in the same state whichever order two edits arrive in", () => {
    const inOrder = withEdit(withEdit(never, "second", T1)!, "third", T2)!;
    const reversed = withEdit(withEdit(never, "third", T2)!, "second", T1)!;
    expect(reversed).toEqual(inOrder);
    expect(inOrder).toEqual({
      text: "third",
      originalText: "hello",
      editHistory: [
        { text: "hello", replacedAt: T1 },
        { text: "second", replacedAt: T2 },
      ],
      edited: true,
    });
  });

  it("keeps a late, older edit in the history without replacing the newer current text", () => {
    const late = withEdit(withEdit(never, "newest", T2)!, "older", T1)!;
    expect(late.text).toBe("newest");
    expect(late.editHistory.map((h) => h.text)).toEqual(["hello", "older"]);
  });
});
