// The search box's language, parsed the same way in the browser (hints, suggestions) and on the server:
// words, "quoted phrases", -excluded words and operators (from: in: app: account: has: is: before: after:).
// Pure functions only: no I/O, so the unit tests cover every rule.

export const OPERATORS = ["from", "in", "app", "account", "has", "is", "before", "after"] as const;
export type Operator = (typeof OPERATORS)[number];

export type SearchQuery = {
  /** Words to find (each must appear), folded. */
  terms: string[];
  /** Quoted phrases to find as written (folded). */
  phrases: string[];
  /** Words or phrases that must not appear (folded). */
  exclude: string[];
  /** People: names as typed, or "me". */
  from: string[];
  /** Chats by name. */
  in: string[];
  app: string[];
  account: string[];
  hasAttachment: boolean;
  hasImage: boolean;
  unread: boolean;
  /** YYYY-MM-DD: messages sent before this day (the day itself excluded). */
  before: string | null;
  /** YYYY-MM-DD: messages sent on or after this day. */
  after: string | null;
  /** Sentences for what could not be understood; the query is not run while there are any. */
  problems: string[];
};

/** Word in a token: a quoted run or anything up to whitespace. */
const TOKEN = /(-?)(?:([a-z]+):)?(?:"([^"]*)"?|(\S+))?/giy;

const HAS = {
  attachment: "hasAttachment",
  attachments: "hasAttachment",
  file: "hasAttachment",
  image: "hasImage",
  photo: "hasImage",
} as const;

/** Where accents are folded: Latin, Greek and Cyrillic letters (and their combining marks), Hebrew
 * points and Arabic harakat. Other scripts' marks are letters' vowels, kept. The database's fold
 * (migration search_everything) is generated from this rule: search-query.test.ts checks they agree. */
const FOLDED = /[\u0080-\u058f\u1e00-\u1fff]/u;
const DROPPED =
  /^[\u0300-\u036f\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed]$/u;

/**
 * Lower case without accents or vowel marks: "É" → "e", a Hebrew point or Arabic haraka → "". One
 * character never becomes two, so a highlight found in folded text maps back to the original.
 */
export function foldChar(c: string): string {
  if (DROPPED.test(c)) return "";
  if (FOLDED.test(c)) {
    const base = c.normalize("NFD").replace(/[\u0300-\u036f]+/gu, "");
    if (base.length === 1) return base.toLowerCase().length === 1 ? base.toLowerCase() : base;
  }
  const lower = c.toLowerCase();
  return [...lower].length === 1 ? lower : c;
}

export function fold(s: string): string {
  let out = "";
  for (const c of s) out += foldChar(c);
  return out;
}

function isDate(s: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function emptyQuery(): SearchQuery {
  return {
    terms: [],
    phrases: [],
    exclude: [],
    from: [],
    in: [],
    app: [],
    account: [],
    hasAttachment: false,
    hasImage: false,
    unread: false,
    before: null,
    after: null,
    problems: [],
  };
}

export function parseSearchQuery(input: string): SearchQuery {
  const q = emptyQuery();
  const s = input.trim();
  let i = 0;
  while (i < s.length) {
    if (/\s/.test(s[i]!)) {
      i++;
      continue;
    }
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(s);
    if (!m) break;
    i = TOKEN.lastIndex;
    const [, neg, rawKey, quoted, bare] = m;
    const value = (quoted ?? bare ?? "").trim();
    const key = rawKey?.toLowerCase();
    if (key && (OPERATORS as readonly string[]).includes(key)) {
      if (!value) continue; // still typing "from:"
      addOperator(q, key as Operator, value, !!neg);
      continue;
    }
    // Not an operator ("10:30", "https://…"): the whole token is text.
    const text = fold(rawKey ? `${rawKey}:${value}` : value);
    if (!text) continue;
    if (neg) q.exclude.push(text);
    else if (quoted !== undefined) q.phrases.push(text);
    else q.terms.push(text);
  }
  return q;
}

function addOperator(q: SearchQuery, key: Operator, value: string, negated: boolean) {
  if (negated) {
    q.problems.push(`-${key}: is not supported; remove the minus`);
    return;
  }
  switch (key) {
    case "from":
    case "in":
    case "app":
    case "account":
      q[key].push(value);
      return;
    case "has": {
      const flag = HAS[value.toLowerCase() as keyof typeof HAS];
      if (flag) q[flag] = true;
      else q.problems.push(`has: takes attachment or image, not “${value}”`);
      return;
    }
    case "is":
      if (value.toLowerCase() === "unread") q.unread = true;
      else q.problems.push(`is: takes unread, not “${value}”`);
      return;
    case "before":
    case "after":
      if (isDate(value)) q[key] = value;
      else q.problems.push(`${key}: takes a date like 2025-03-01, not “${value}”`);
      return;
  }
}

/** Whether anything narrows messages beyond their text (people and chats are then not listed). */
export function hasMessageFilters(q: SearchQuery) {
  return (
    q.from.length > 0 || q.in.length > 0 || q.hasAttachment || q.hasImage || q.unread || q.before !== null || q.after !== null
  );
}

/** Whether there is anything to search for at all. */
export function isEmptyQuery(q: SearchQuery) {
  return q.terms.length === 0 && q.phrases.length === 0 && !hasMessageFilters(q) && q.app.length === 0 && q.account.length === 0;
}

/** Words and phrases to highlight in a snippet, longest first. */
export function highlightNeedles(q: SearchQuery): string[] {
  const all = [...q.phrases, ...q.terms];
  if (q.terms.length > 1) all.push(q.terms.join(" "));
  return [...new Set(all.filter(Boolean))].sort((a, b) => b.length - a.length);
}

export type OperatorAtCaret = { key: Operator; value: string; start: number; end: number };

/** The operator the caret is in ("from:ma|"), to suggest values for it; null elsewhere. */
export function operatorAt(input: string, caret: number): OperatorAtCaret | null {
  // Walk the tokens from the start: a quoted value may hold spaces.
  let i = 0;
  while (i < input.length) {
    if (/\s/.test(input[i]!)) {
      i++;
      continue;
    }
    const start = i;
    const quoted = /^-?[a-z]+:"/i.exec(input.slice(start));
    if (quoted) {
      const close = input.indexOf('"', start + quoted[0].length);
      i = close === -1 ? input.length : close + 1;
    }
    while (i < input.length && !/\s/.test(input[i]!)) i++;
    if (caret >= start && caret <= i) {
      const m = /^-?([a-z]+):(.*)$/is.exec(input.slice(start, i));
      const key = m?.[1]?.toLowerCase();
      if (!m || !key || !(OPERATORS as readonly string[]).includes(key)) return null;
      return { key: key as Operator, value: m[2]!.replace(/^"/, "").replace(/"$/, ""), start, end: i };
    }
  }
  return null;
}

/** The input with the operator at the caret set to `value` (quoted when it holds a space), and the new caret. */
export function applySuggestion(input: string, at: OperatorAtCaret, value: string): { text: string; caret: number } {
  const v = /\s/.test(value) ? `"${value}"` : value;
  const before = `${input.slice(0, at.start)}${at.key}:${v} `;
  const rest = input.slice(at.end).replace(/^\s+/, "");
  return { text: before + rest, caret: before.length };
}

/** Fixed values of the operators that have them. */
export const FIXED_VALUES: Partial<Record<Operator, string[]>> = {
  has: ["attachment", "image"],
  is: ["unread"],
};
