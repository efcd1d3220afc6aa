// Splits text into plain and highlighted segments for search snippets. Hits are found in the folded
// text (case and accents ignored, as the search itself does) and cut from the original by offset; the
// UI renders the segments as text nodes (<mark> around hits), so a message body can never become markup.
import { foldChar } from "./search-query.ts";

export type Segment = { text: string; hit: boolean };

/** The folded text and, for each of its UTF-16 units, the offset of the original character. */
function foldWithOffsets(text: string) {
  let folded = "";
  const at: number[] = [];
  let i = 0;
  for (const c of text) {
    const f = foldChar(c);
    for (let k = 0; k < f.length; k++) at.push(i);
    folded += f;
    i += c.length;
  }
  at.push(text.length);
  return { folded, at };
}

/** [start, end) ranges of the original text where a needle (already folded) occurs, without overlaps. */
export function hitRanges(text: string, needles: string[]): [number, number][] {
  const { folded, at } = foldWithOffsets(text);
  const ranges: [number, number][] = [];
  // Longest first, so "budget review" wins over "budget".
  for (const n of [...needles].filter(Boolean).sort((a, b) => b.length - a.length)) {
    for (let from = folded.indexOf(n); from !== -1; from = folded.indexOf(n, from + n.length)) {
      const start = at[from]!;
      const end = at[from + n.length] ?? text.length;
      if (ranges.every(([s, e]) => end <= s || start >= e)) ranges.push([start, end]);
    }
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}

/** A window of about `width` characters around the first hit, with every hit marked. */
export function snippet(text: string, needles: string[], width = 160): Segment[] {
  if (!text) return [];
  const ranges = hitRanges(text, needles);
  let start = 0;
  const first = ranges[0];
  if (first && first[0] > width / 3) start = first[0] - Math.floor(width / 3);
  let end = Math.min(text.length, start + width);
  // Do not cut a word (or a surrogate pair) in half at either end.
  while (start > 0 && start < text.length && /\S/.test(text[start - 1] ?? "")) start--;
  while (end < text.length && /\S/.test(text[end] ?? "") && end - start < width + 30) end++;
  if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end] ?? "")) end++;
  const segments: Segment[] = [];
  if (start > 0) segments.push({ text: "…", hit: false });
  let last = start;
  for (const [s, e] of ranges) {
    if (e <= start || s >= end) continue;
    const a = Math.max(s, start);
    const b = Math.min(e, end);
    if (a > last) segments.push({ text: text.slice(last, a), hit: false });
    segments.push({ text: text.slice(a, b), hit: true });
    last = b;
  }
  if (last < end) segments.push({ text: text.slice(last, end), hit: false });
  if (end < text.length) segments.push({ text: "…", hit: false });
  return segments;
}
