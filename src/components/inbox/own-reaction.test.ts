import { describe, expect, it } from "vitest";
import { withOwnReaction } from "./own-reaction";

const theirs = { value: "👍", count: 1, mine: false, by: ["Maya"] };

describe("our reaction shown before the server confirms it", () => {
  it("joins a reaction others gave, or adds a new one", () => {
    expect(withOwnReaction([theirs], "👍", true)).toEqual([{ value: "👍", count: 2, mine: true, by: ["Maya", "You"] }]);
    expect(withOwnReaction([theirs], "❤️", true)).toEqual([theirs, { value: "❤️", count: 1, mine: true, by: ["You"] }]);
  });

  it("replaces ours where a person has one reaction, keeps it elsewhere", () => {
    const mine = withOwnReaction([theirs], "👍", true);
    expect(withOwnReaction(mine, "😂", true)).toEqual([theirs, { value: "😂", count: 1, mine: true, by: ["You"] }]);
    expect(withOwnReaction(mine, "😂", false).map((r) => [r.value, r.count, r.mine])).toEqual([
      ["👍", 2, true],
      ["😂", 1, true],
    ]);
  });

  it("removing ours leaves only the others'", () => {
    const mine = withOwnReaction(withOwnReaction([theirs], "👍", false), "🙏", false);
    expect(withOwnReaction(mine, null, false)).toEqual([theirs]);
  });
});
