// The client's address, for throttling and the audit log. X-Forwarded-For is written by whoever
// sends the request, so it is read only when TRUSTED_PROXY_HOPS says proxies we run put it there:
// the entry the outermost of them appended is the client; anything left of it is the client's own claim.
import { env } from "../env.ts";

export function clientAddress(headers: Headers, hops = env.TRUSTED_PROXY_HOPS): string | null {
  if (hops <= 0) return null;
  const list = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const entry = list[list.length - hops];
  if (!entry) return null;
  // An address, not arbitrary text: strip an IPv4-mapped prefix and any port, cap the length.
  const addr = entry.replace(/^::ffff:(?=\d+\.)/, "").replace(/^\[([^\]]+)\](?::\d+)?$/, "$1").replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, "$1");
  return /^[0-9a-fA-F:.]{2,45}$/.test(addr) ? addr : null;
}

/** The address of the request being handled (server components, actions, tRPC), or null outside one. */
export async function requestAddress(): Promise<string | null> {
  try {
    const { headers } = await import("next/headers");
    return clientAddress(await headers());
  } catch {
    return null; // not inside a request (tests, scripts)
  }
}
