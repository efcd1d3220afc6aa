// Splits text into plain and highlighted segments for search snippets. The UI renders the segments
// as text nodes (<mark> around hits), so a message body can never become markup.
export type Segment = { text: string; hit: boolean };

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Words of a query worth highlighting, longest first so "budget" wins over "bud". */
function queryTerms(query: string): string[] {
  const words = query
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  return [...new Set([query.trim(), ...words].filter(Boolean))].sort((a, b) => b.length - a.length);
}

/** A window of about `width` characters around the first hit, with every hit marked. */
export function snippet(text: string, query: string, width = 160): Segment[] {
  const terms = queryTerms(query);
  if (terms.length === 0 || !text) return [{ text: text.slice(0, width), hit: false }];
  const re = new RegExp(terms.map(escapeRegExp).join("|"), "giu");
  const first = re.exec(text);
  let start = 0;
  if (first && first.index > width / 3) start = first.index - Math.floor(width / 3);
  let end = Math.min(text.length, start + width);
  // Do not cut a word (or a surrogate pair) in half at either end.
  while (start > 0 && start < text.length && /\S/.test(text[start - 1] ?? "")) start--;
  while (end < text.length && /\S/.test(text[end] ?? "") && end - start < width + 30) end++;
  const windowText = text.slice(start, end);
  const segments: Segment[] = [];
  if (start > 0) segments.push({ text: "…", hit: false });
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(windowText); m; m = re.exec(windowText)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if (m.index > last) segments.push({ text: windowText.slice(last, m.index), hit: false });
    segments.push({ text: m[0], hit: true });
    last = m.index + m[0].length;
  }
  if (last < windowText.length) segments.push({ text: windowText.slice(last), hit: false });
  if (end < text.length) segments.push({ text: "…", hit: false });
  return segments;
}
