import { describe, expect, it } from "vitest";
import { actionBodyLimit } from "../env-defaults.mjs";
import { refuseOversizedAction } from "./body-limit.ts";

const action = (length: number, method = "POST") =>
  new Request("http://localhost/", { method, headers: { "next-action": "abc123", "content-length": String(length) } });

describe("server action body limit", () => {
  it("refuses an action whose declared body is over the limit with 413 and a sentence, before reading it", async () => {
    const res = refuseOversizedAction(action(actionBodyLimit() + 1));
    expect(res?.status).toBe(413);
    expect(await res!.text()).toBe("This send is too large: the files of one send may add up to 15 MB.");
  });

  it("lets through actions within the limit, and requests that are no action", () => {
    expect(refuseOversizedAction(action(actionBodyLimit()))).toBeNull();
    expect(refuseOversizedAction(new Request("http://localhost/", { method: "POST", headers: { "content-length": "99999999999" } }))).toBeNull();
  });
});
