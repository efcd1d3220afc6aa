// Where to go after signing in: only a path on our own origin. Browsers read `//host`, `/\host`
// and their encoded or whitespace-laden variants as another site, so the path is resolved the way
// a browser would and kept only when the origin stays ours.
const BASE = "http://parley.invalid";

export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/")) return "/";
  // Browsers strip tabs and newlines from URLs and treat `\` as `/`: judge what they will follow.
  const cleaned = next.replace(/[\t\n\r]/g, "");
  if (cleaned.startsWith("//") || cleaned.startsWith("/\\")) return "/";
  let url: URL;
  try {
    url = new URL(cleaned, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  const path = url.pathname + url.search + url.hash;
  // A decoded `//` at the start (from `/%2F%2Fevil`) would be read as a host once the browser decodes it.
  if (/^\/[/\\]/.test(decodeURIComponentSafe(url.pathname))) return "/";
  return path;
}

function decodeURIComponentSafe(s: string) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
