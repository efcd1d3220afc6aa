import { describe, expect, it } from "vitest";
import { withOwnReaction } from "./own-reaction";

const theirs = { value: "👍", count: 1, mine: false, by: ["Maya"] };

describe("our reaction shown before the server confirms it", () => {
  it("joins a reaction others gave, or adds a new one", () => {
    expect(withOwnReaction([theirs], "👍")).toEqual([{ value: "👍", count: 2, mine: true, by: ["Maya", "You"] }]);
    expect(withOwnReaction([theirs], "❤️")).toEqual([theirs, { value: "❤️", count: 1, mine: true, by: ["You"] }]);
  });

  it("a new one replaces ours; the same one again changes nothing", () => {
    const mine = withOwnReaction([theirs], "👍");
    expect(withOwnReaction(mine, "😂")).toEqual([theirs, { value: "😂", count: 1, mine: true, by: ["You"] }]);
    expect(withOwnReaction(mine, "👍")).toEqual(mine);
  });

  it("removing ours leaves only the others'", () => {
    expect(withOwnReaction(withOwnReaction([theirs], "🙏"), null)).toEqual([theirs]);
  });
});
