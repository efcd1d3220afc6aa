// tRPC's data transformer, on both ends (server, browser links, hydration): superjson's wire format,
// with a faster serializer for what the API sends, JSON with Dates (and undefined) in it. superjson
// walks every value of a 50-row page through its class and symbol registries (1 ms of every chat-list
// request, 9× this one's time); anything else it carries (Map, Set, BigInt, NaN, class instances…)
// still goes through superjson, whole. The output is what superjson.serialize gives, byte for byte
// (transformer.test.ts), but for an object met twice, which superjson notes as one and this sends as
// two equal copies: superjson reads it, and clients of the API see no change.
import superjson from "superjson";

type Annotation = ["Date"] | ["undefined"];
type Result = { json: unknown; meta?: { values: Record<string, Annotation> | Annotation; v: 1 } };

const UNSUPPORTED = Symbol("unsupported");
/** Deeper than any answer of ours: a cycle, which superjson carries. */
const MAX_DEPTH = 64;

/** superjson's path syntax: segments joined by ".", with "\" and "." escaped. */
const escapeKey = (key: string) => (key.includes(".") || key.includes("\\") ? key.replace(/\\/g, "\\\\").replace(/\./g, "\\.") : key);

function encode(value: unknown, path: string, notes: Record<string, Annotation>, depth: number): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0) ? value : UNSUPPORTED;
  if (value === undefined) {
    notes[path] = ["undefined"];
    return null;
  }
  if (typeof value !== "object" || depth > MAX_DEPTH) return UNSUPPORTED; // bigint, symbol, function; a cycle
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return UNSUPPORTED;
    notes[path] = ["Date"];
    return value.toISOString();
  }
  const prefix = path === "" ? "" : `${path}.`;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = encode(value[i], prefix + i, notes, depth + 1);
      if (v === UNSUPPORTED) return UNSUPPORTED;
      out[i] = v;
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return UNSUPPORTED;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    // superjson refuses these keys (prototype pollution): let it say so.
    if (key === "__proto__" || key === "constructor" || key === "prototype") return UNSUPPORTED;
    const v = encode((value as Record<string, unknown>)[key], prefix + escapeKey(key), notes, depth + 1);
    if (v === UNSUPPORTED) return UNSUPPORTED;
    out[key] = v;
  }
  return out;
}

export function serialize(value: unknown): Result {
  if (value === undefined || value instanceof Date) return superjson.serialize(value) as Result;
  const notes: Record<string, Annotation> = {};
  const json = encode(value, "", notes, 0);
  if (json === UNSUPPORTED) return superjson.serialize(value) as Result;
  return Object.keys(notes).length > 0 ? { json, meta: { values: notes, v: 1 } } : { json };
}

export const deserialize = superjson.deserialize;

export const transformer = { serialize, deserialize };
