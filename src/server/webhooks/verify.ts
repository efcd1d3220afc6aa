// Authenticating and reading a Unipile webhook request before anything is stored: the secret header
// (Unipile signs nothing, so the header chosen at registration is the only proof) and a capped raw body.
import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "../errors.ts";

export const WEBHOOK_SECRET_HEADER = "x-webhook-secret";
export const WEBHOOK_MAX_BYTES = 1024 * 1024;

/** Constant-time comparison; hashing first makes the time independent of the lengths too. */
export function verifyWebhookSecret(given: string | null | undefined, expected: string | null | undefined): boolean {
  if (!given || !expected) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The raw body as text whatever the Content-Type says (Unipile labels JSON as form data at times),
 * read in chunks so an oversized body is refused without being buffered whole.
 */
export async function readRawBody(req: Request, maxBytes = WEBHOOK_MAX_BYTES): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new AppError("PAYLOAD_TOO_LARGE", `Body larger than ${maxBytes} bytes`);
  }
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new AppError("PAYLOAD_TOO_LARGE", `Body larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Headers worth keeping for the admin log: never the secret. */
export function loggableHeaders(headers: Headers): Record<string, string> {
  const keep: Record<string, string> = {};
  for (const name of ["content-type", "content-length", "user-agent", "x-forwarded-for"]) {
    const v = headers.get(name);
    if (v !== null) keep[name] = v;
  }
  return keep;
}
