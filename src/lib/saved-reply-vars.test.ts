import { describe, expect, it } from "vitest";
import { fillReply, unknownVariables } from "./saved-reply-vars.ts";

const ctx = { contactName: "Maria  de la Cruz", meName: "Ana Lima", accountName: "Sales WhatsApp" };

describe("saved reply variables", () => {
  it("fills every known variable, with or without spaces inside the braces", () => {
    expect(
      fillReply("Hi {{contact.first_name}}, {{ me.first_name }} here ({{me.name}}, {{account.name}}) for {{contact.name}}", ctx),
    ).toBe("Hi Maria, Ana here (Ana Lima, Sales WhatsApp) for Maria  de la Cruz");
  });

  it("leaves unknown variables visible and names each once", () => {
    const body = "Hi {{contact.nickname}} {{contact.first_name}} {{contact.nickname}} {{order.id}}";
    expect(fillReply(body, ctx)).toBe("Hi {{contact.nickname}} Maria {{contact.nickname}} {{order.id}}");
    expect(unknownVariables(body)).toEqual(["contact.nickname", "order.id"]);
    expect(unknownVariables("Hello {{me.name}}")).toEqual([]);
  });
});
