// A small reader of the Prometheus text format (version 0.0.4), strict enough for tests to prove that
// what /api/metrics serves is well-formed: every sample line parses and belongs to a declared family.
export type Sample = { name: string; labels: Record<string, string>; value: number };

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;
const SUFFIXES = ["_bucket", "_sum", "_count", "_total", "_created"];

function parseValue(v: string, line: string): number {
  if (v === "+Inf") return Number.POSITIVE_INFINITY;
  if (v === "-Inf") return Number.NEGATIVE_INFINITY;
  // Prometheus reads NaN in any case (Go's ParseFloat); prom-client prints an unmeasured gauge as "Nan".
  if (v.toLowerCase() === "nan") return Number.NaN;
  const n = Number(v);
  if (Number.isNaN(n)) throw new Error(`not a number in: ${line}`);
  return n;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const m = LABEL.exec(text);
    if (!m) throw new Error(`bad labels in: ${line}`);
    labels[m[1]!] = m[2]!.replace(/\\n/g, "\n").replace(/\\(["\\])/g, "$1");
  }
  return labels;
}

/** Throws on the first line that is not valid; returns every sample. */
export function parsePromText(text: string): Sample[] {
  const families = new Set<string>();
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      families.add(type[1]!);
      continue;
    }
    if (line.startsWith("#")) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const name = m[1]!;
    const family = families.has(name) ? name : SUFFIXES.map((s) => (name.endsWith(s) ? name.slice(0, -s.length) : "")).find((f) => families.has(f));
    if (!family) throw new Error(`sample without a # TYPE line: ${line}`);
    samples.push({ name, labels: parseLabels(m[2] ?? "", line), value: parseValue(m[3]!, line) });
  }
  return samples;
}

/** The value of one sample (0 when absent, as Prometheus treats a counter not yet seen). */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const s = samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  return s?.value ?? 0;
}
