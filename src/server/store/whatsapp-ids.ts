// WhatsApp names one person in two forms (REFERENCE.md §8): the phone JID `<digits>@s.whatsapp.net`
// and the LID `<digits>@lid`. A LID-form payload carries the JID in `attendee_public_identifier` and
// `attendee_specifics.{phone_number, lid}` (`phone_number: "hidden"` for unknown contacts). This turns
// whatever a payload says about one person into both forms; every other provider passes through.

export type PersonIds = {
  /** The id the payload used. */
  providerId: string;
  /** The other WhatsApp form, when the payload tells it. */
  altProviderId: string | null;
  /** Digits only; null when unknown or hidden. */
  phoneNumber: string | null;
};

const JID = /^(\d+)@s\.whatsapp\.net$/;
const LID = /^\d+@lid$/;

/** A JID or a LID: an id that may have a second form. Groups (`@g.us`) and other providers have one. */
export function isWhatsappPersonId(id: string): boolean {
  return JID.test(id) || LID.test(id);
}

function phoneOf(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const digits = v.replace(/[\s()+.-]/g, "");
  return /^\d{5,20}$/.test(digits) ? digits : null;
}

function lidOf(v: unknown): string | null {
  if (typeof v !== "string") return null;
  if (LID.test(v)) return v;
  return /^\d{5,30}$/.test(v) ? `${v}@lid` : null;
}

/** Both forms of one person from an id plus what the payload adds (public identifier, specifics). */
export function personIds(providerId: string, extra: { publicIdentifier?: unknown; specifics?: unknown } = {}): PersonIds {
  if (!isWhatsappPersonId(providerId)) return { providerId, altProviderId: null, phoneNumber: null };
  const specifics = extra.specifics && typeof extra.specifics === "object" ? (extra.specifics as Record<string, unknown>) : {};
  const publicJid =
    typeof extra.publicIdentifier === "string" && JID.test(extra.publicIdentifier) ? extra.publicIdentifier : null;
  const phone = phoneOf(specifics.phone_number) ?? JID.exec(publicJid ?? providerId)?.[1] ?? null;
  if (LID.test(providerId)) {
    const jid = publicJid ?? (phone ? `${phone}@s.whatsapp.net` : null);
    return { providerId, altProviderId: jid, phoneNumber: phone };
  }
  const lid = lidOf(specifics.lid);
  return { providerId, altProviderId: lid, phoneNumber: phone };
}
