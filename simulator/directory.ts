// Unipile's profile lookup (GET /api/v1/users/{identifier}?account_id=): people the provider knows,
// whether or not the account ever chatted with them. LinkedIn answers by public identifier (the
// profile URL's slug) or member id; WhatsApp by phone number. A lookup changes nothing in the world.
import type { SimAccount, SimAttendee, SimStore } from "./data.ts";
import { ApiError, notFound } from "./http.ts";

/** LinkedIn members outside every seeded chat, for starting conversations. */
export type DirectoryPerson = {
  provider_id: string;
  public_identifier: string;
  first_name: string;
  last_name: string;
  headline: string;
  network_distance: "FIRST_DEGREE" | "SECOND_DEGREE" | "THIRD_DEGREE" | "OUT_OF_NETWORK";
};

export const LINKEDIN_DIRECTORY: DirectoryPerson[] = [
  {
    provider_id: "ACoAAB3kQx7Ines0Carvalho9Lisboa2Rt",
    public_identifier: "ines-carvalho-7a21b3",
    first_name: "Inês",
    last_name: "Carvalho",
    headline: "Route setter at Bloc Lisboa",
    network_distance: "FIRST_DEGREE",
  },
  {
    provider_id: "ACoAAC9pWm2Henrik4Dahl8Bergen6QzX",
    public_identifier: "henrik-dahl-93c0",
    first_name: "Henrik",
    last_name: "Dahl",
    headline: "Head of partnerships, Fjell Outdoor",
    network_distance: "OUT_OF_NETWORK",
  },
];

export function directoryPerson(providerId: string): DirectoryPerson | undefined {
  return LINKEDIN_DIRECTORY.find((p) => p.provider_id === providerId);
}

/**
 * The name a new person gets when a chat with them is started: a directory member's, a WhatsApp
 * number as WhatsApp shows one not in the contacts, else undefined (named after the id).
 */
export function directoryName(providerId: string): string | undefined {
  const p = directoryPerson(providerId);
  if (p) return `${p.first_name} ${p.last_name}`;
  const phone = providerId.match(/^(\d{7,15})@s\.whatsapp\.net$/)?.[1];
  return phone && `+${phone}`;
}

/** The slug of a LinkedIn profile URL (`https://www.linkedin.com/in/<slug>/`), or the identifier as given. */
const slugOf = (url: string | undefined) => url?.match(/linkedin\.com\/in\/([^/?#]+)/)?.[1];

function linkedinProfile(p: DirectoryPerson) {
  return {
    object: "UserProfile",
    provider: "LINKEDIN",
    provider_id: p.provider_id,
    public_identifier: p.public_identifier,
    first_name: p.first_name,
    last_name: p.last_name,
    headline: p.headline,
    websites: [],
    network_distance: p.network_distance,
    is_relationship: p.network_distance === "FIRST_DEGREE",
    can_send_inmail: true,
    public_profile_url: `https://www.linkedin.com/in/${p.public_identifier}`,
  };
}

/** A known attendee of the account as a directory entry (their name split at the first space). */
function fromAttendee(a: SimAttendee): DirectoryPerson {
  const [first, ...rest] = a.name.split(" ");
  const specifics = (a.specifics ?? {}) as { headline?: string; network_distance?: string };
  return {
    provider_id: a.provider_id,
    public_identifier: slugOf(a.profile_url) ?? a.provider_id,
    first_name: first ?? a.name,
    last_name: rest.join(" "),
    headline: specifics.headline ?? "",
    network_distance: specifics.network_distance === "DISTANCE_1" ? "FIRST_DEGREE" : "SECOND_DEGREE",
  };
}

export function lookupProfile(store: SimStore, account: SimAccount, identifier: string) {
  if (account.type === "LINKEDIN") {
    const id = decodeURIComponent(identifier);
    const listed = LINKEDIN_DIRECTORY.find((p) => p.public_identifier === id || p.provider_id === id);
    if (listed) return linkedinProfile(listed);
    for (const a of store.attendees.values()) {
      if (a.account_id !== account.id || a.is_self) continue;
      if (a.provider_id === id || slugOf(a.profile_url) === id) return linkedinProfile(fromAttendee(a));
    }
    throw notFound("user");
  }
  if (account.type === "WHATSAPP") {
    const digits = identifier.replace(/@s\.whatsapp\.net$/, "").replace(/^\+/, "");
    if (!/^\d{7,15}$/.test(digits)) throw notFound("user");
    return { object: "UserProfile", provider: "WHATSAPP", id: `${digits}@s.whatsapp.net` };
  }
  throw ApiError.of(501, `Profile lookup is not available for ${account.type} here.`);
}

/** A LinkedIn member outside your network takes an InMail: a classic message is refused, as LinkedIn does. */
export function checkReachable(account: SimAccount, attendeeIds: string[], inmail: boolean) {
  if (account.type !== "LINKEDIN" || inmail) return;
  const stranger = attendeeIds.map(directoryPerson).find((p) => p && p.network_distance !== "FIRST_DEGREE");
  if (stranger)
    throw ApiError.of(
      422,
      `${stranger.first_name} ${stranger.last_name} is not one of your connections: send an InMail instead.`,
      "errors/no_connection_with_recipient",
    );
}
