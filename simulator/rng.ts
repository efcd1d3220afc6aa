// Seeded randomness so the same seed always gives the same accounts, chats, ids and texts.

/** mulberry32: tiny, fast, good enough for test data. Returns floats in [0, 1). */
export function createRng(seed: number) {
  let a = seed >>> 0 || 0x9e3779b9;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chars = (alphabet: string, n: number) => {
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet[int(alphabet.length)];
    return s;
  };
  return {
    next,
    int,
    pick,
    chars,
    /** Unipile-looking id: 22 url-safe characters. */
    id: () => chars(ID_ALPHABET, 22),
    digits: (n: number) => String(1 + int(9)) + chars("0123456789", n - 1),
    hex: (n: number) => chars("0123456789ABCDEF", n),
  };
}
export type Rng = ReturnType<typeof createRng>;

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Derives an independent seed for a sub-stream (e.g. one generated chat) so generation order does not matter. */
export function subSeed(seed: number, n: number) {
  let h = (seed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}
