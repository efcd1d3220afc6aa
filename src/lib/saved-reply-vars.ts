// The {{variables}} of saved replies and how they are filled for one chat. Unknown variables are left
// as written (so nothing silently disappears from a reply) and reported, so the picker can flag them.

export const REPLY_VARIABLES = ["contact.first_name", "contact.name", "me.first_name", "me.name", "account.name"] as const;
export type ReplyVariable = (typeof REPLY_VARIABLES)[number];
export type ReplyContext = { contactName: string; meName: string; accountName: string };

const VAR = /\{\{\s*([\w.]+)\s*\}\}/g;

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? "";

function variableValue(name: string, c: ReplyContext): string | null {
  switch (name) {
    case "contact.first_name":
      return firstName(c.contactName);
    case "contact.name":
      return c.contactName.trim();
    case "me.first_name":
      return firstName(c.meName);
    case "me.name":
      return c.meName.trim();
    case "account.name":
      return c.accountName.trim();
    default:
      return null;
  }
}

/** Variables in `body` that Parley does not know, each once, in order of appearance. */
export function unknownVariables(body: string): string[] {
  const names = [...body.matchAll(VAR)].map((m) => m[1]!).filter((n) => !(REPLY_VARIABLES as readonly string[]).includes(n));
  return [...new Set(names)];
}

/** The body with every known variable filled for this chat; unknown ones stay as they are. */
export function fillReply(body: string, c: ReplyContext): string {
  return body.replace(VAR, (whole, name: string) => variableValue(name, c) ?? whole);
}
