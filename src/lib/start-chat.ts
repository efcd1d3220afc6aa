// What a person may type to name someone for a new conversation: a LinkedIn profile URL (its slug is
// what Unipile's profile lookup takes) or a phone number in international form (WhatsApp's id is the
// digits and `@s.whatsapp.net`). Shared by the dialog (to say what it understood) and the server.

/** `https://www.linkedin.com/in/jane-doe-12ab/?x=1` → `jane-doe-12ab`; null when it is not a profile URL. */
export function linkedinIdentifier(input: string): string | null {
  const m = input.trim().match(/^(?:https?:\/\/)?(?:[a-z]{2,3}\.)?linkedin\.com\/in\/([^/?#\s]+)\/?(?:[?#]\S*)?$/i);
  if (!m) return null;
  let slug: string;
  try {
    slug = decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
  return /^[\p{L}\p{N}_-]{3,100}$/u.test(slug) ? slug : null;
}

/** `+33 6 12-34 56 78` → `33612345678@s.whatsapp.net`; null unless it is `+` and 8 to 15 digits (E.164). */
export function whatsappJid(input: string): string | null {
  const compact = input.trim().replace(/[\s().-]/g, "");
  const m = compact.match(/^\+([1-9]\d{7,14})$/);
  return m ? `${m[1]}@s.whatsapp.net` : null;
}

/** `33612345678@s.whatsapp.net` → `+33612345678`, for showing a number the person typed. */
export function phoneOfJid(jid: string): string {
  return `+${jid.replace(/@s\.whatsapp\.net$/, "")}`;
}
