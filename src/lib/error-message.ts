// One way to tell a person what went wrong: any failure — a tRPC error (preferring its zod field
// messages), a server action's result, a request that never arrived, a Unipile error as the server
// words or stores it — as a sentence they can act on. Never an issue list, a cut-off status line or
// an internal address. Pure: used by the browser (toasts, failed bubbles) and by services.

const FALLBACK = "Something went wrong. Try again.";
const OFFLINE = "Could not reach Parley. Check your connection and try again.";
const UNIPILE_DOWN = "Unipile could not be reached. Try again in a moment.";

type FieldErrors = Record<string, string[] | undefined>;
type Flattened = { formErrors?: string[]; fieldErrors?: FieldErrors };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** A sentence starts with a capital and ends with a stop. */
function sentence(text: string): string {
  const t = text.trim().replace(/\s+/g, " ");
  if (!t) return t;
  const capital = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

function fromFields(flat: Flattened | undefined | null): string | null {
  if (!flat) return null;
  const messages = [...(flat.formErrors ?? []), ...Object.values(flat.fieldErrors ?? {}).flatMap((m) => m ?? [])];
  const unique = [...new Set(messages.map((m) => m.trim()).filter(Boolean))];
  return unique.length ? unique.slice(0, 3).map(sentence).join(" ") : null;
}

/**
 * What Unipile's answer means for the person who asked, by status first and then slug (Unipile's
 * reference: a 401 is a disconnected account unless the slug says our API key is wrong).
 */
export function unipileSentence(status: number, slug = "", title = ""): string {
  const what = title.trim() && !/^HTTP \d+$/.test(title.trim()) ? title.trim().replace(/[.:]+$/, "") : "";
  if (status === 0 || slug === "client/network_error" || slug === "client/timeout") return UNIPILE_DOWN;
  if (status === 401 && /missing_credentials/.test(slug)) return "Unipile refused Parley's API key. An admin needs to check UNIPILE_API_KEY.";
  if (status === 401) return "This account is disconnected. Reconnect it in Unipile, then try again.";
  if (status === 404) return "Unipile no longer has this chat or message. Resync the chat, then try again.";
  if (status === 413 || status === 415) return "The provider refused this file. Try a smaller file or another format.";
  if (status === 429) return "The provider is limiting requests for now. Wait a minute, then try again.";
  if (status >= 500) return "Unipile had a problem. Try again in a moment.";
  return what ? `Unipile refused this: ${what.charAt(0).toLowerCase()}${what.slice(1)}.` : "Unipile refused this.";
}

// How the server words Unipile failures: a send's stored reason ("Unipile answered 401 (Disconnected
// account: …)", "Unipile could not be reached (…)") and UnipileError's message ("Unipile 401 errors/x: Title (…)").
const ANSWERED = /Unipile answered (\d{3})(?: \(([^:)]*))?/;
const UNREACHABLE = /Unipile could not be reached|Unipile request client\/(?:network_error|timeout)/;
const CLIENT_ERROR = /Unipile (\d{3}) ([\w/-]+): ([^(]*)/;
// An address or a socket error code: a detail for the logs, never for a person.
const INTERNAL = /\b(?:localhost|\d{1,3}(?:\.\d{1,3}){3}|\[[\da-f:]+\]|[\w-]+(?:\.[\w-]+)+):\d{2,5}\b|\bE(?:CONNREFUSED|CONNRESET|NOTFOUND|TIMEDOUT|AI_AGAIN|PIPE)\b/i;

function fromText(raw: string, fallback: string): string {
  const text = raw.trim();
  if (!text) return fallback;
  if (/^(?:failed to fetch|fetch failed|networkerror|load failed|network request failed)/i.test(text)) return OFFLINE;
  // An answer that was not ours (a proxy's error page instead of JSON).
  if (/is not valid JSON|^Unexpected (?:token|end of JSON)/i.test(text)) return "Parley did not answer properly. Try again in a moment.";

  // The server's own words before a Unipile part ("Marked read here, but Unipile did not accept it.") stay.
  const unipile = [ANSWERED, UNREACHABLE, CLIENT_ERROR].map((re) => re.exec(text)).find((m) => m !== null);
  if (unipile) {
    const lead = text.slice(0, unipile.index).replace(/[\s:–—-]+$/, "");
    const said =
      unipile[0].startsWith("Unipile answered")
        ? unipileSentence(Number(unipile[1]), "", unipile[2] ?? "")
        : unipile[0].startsWith("Unipile could") || unipile[0].startsWith("Unipile request")
          ? UNIPILE_DOWN
          : unipileSentence(Number(unipile[1]), unipile[2], unipile[3]);
    return lead && !INTERNAL.test(lead) ? `${sentence(lead)} ${said}` : said;
  }

  // A zod issue list as JSON (what tRPC puts in `message` when nothing else is known).
  if (text.startsWith("[") || text.startsWith("{")) {
    try {
      const parsed = JSON.parse(text) as unknown;
      const issues = Array.isArray(parsed) ? parsed : [parsed];
      const messages = issues.map((i) => (isObject(i) && typeof i.message === "string" ? i.message : "")).filter(Boolean);
      return messages.length ? [...new Set(messages)].slice(0, 3).map(sentence).join(" ") : fallback;
    } catch {
      return fallback;
    }
  }
  if (INTERNAL.test(text)) return "A service Parley depends on could not be reached. Try again in a moment.";
  return sentence(text);
}

/** Any failure as one sentence; `fallback` when nothing in it can be shown. */
export function errorMessage(failure: unknown, fallback = FALLBACK): string {
  if (failure === null || failure === undefined) return fallback;
  if (typeof failure === "string") return fromText(failure, fallback);
  if (!isObject(failure)) return fallback;

  // A server action's result: { ok: false, code, error, fields? }.
  if (failure.ok === false && typeof failure.error === "string") {
    return fromFields({ fieldErrors: failure.fields as FieldErrors | undefined }) ?? fromText(failure.error, fallback);
  }
  // A tRPC error (TRPCClientError, or its JSON shape): field messages first, then the session, then the message.
  const data = isObject(failure.data) ? failure.data : isObject(failure.shape) && isObject(failure.shape.data) ? failure.shape.data : null;
  if (data) {
    const fields = fromFields(data.zodError as Flattened | null);
    if (fields) return fields;
    if (data.code === "UNAUTHORIZED") return "Your session ended. Sign in again.";
  }
  // An HTTP error body of ours: { error: CODE, message }.
  if (typeof failure.message === "string" && failure.message) return fromText(failure.message, fallback);
  if (failure.cause !== undefined && failure.cause !== failure) return errorMessage(failure.cause, fallback);
  return fallback;
}
