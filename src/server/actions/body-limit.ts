// Server actions whose declared body is over Next's limit (next.config.mjs): refused by the proxy with a
// sentence, before the body is read, instead of Next reading up to the limit and answering a bare 500.
import { actionBodyLimit, DEFAULTS } from "../env-defaults.mjs";

export function refuseOversizedAction(request: Request): Response | null {
  if (request.method !== "POST" || !request.headers.has("next-action")) return null;
  const declared = Number(request.headers.get("content-length"));
  if (!Number.isFinite(declared) || declared <= actionBodyLimit()) return null;
  const maxMb = Math.floor(Number(process.env.UPLOAD_MAX_BYTES || DEFAULTS.UPLOAD_MAX_BYTES) / (1024 * 1024));
  return new Response(`This send is too large: the files of one send may add up to ${maxMb} MB.`, {
    status: 413,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}
