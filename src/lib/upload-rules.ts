// What a send may carry, as one rule for the composer (checked when files are attached) and the
// server (checked again, since the browser can be bypassed). Limits come from the environment.
import { formatBytes } from "./format.ts";

export type UploadLimits = {
  /** Largest total of one send's files, in bytes. */
  maxBytes: number;
  maxFiles: number;
  /** Refused MIME types ("text/html") and file name endings (".exe"), lower case. */
  blocked: string[];
};
export type UploadFile = { name: string; size: number; type: string };

/** The refused type or ending of this file, or null when it may be sent. */
export function blockedKind(f: UploadFile, blocked: string[]): string | null {
  const type = f.type.toLowerCase().split(";")[0]!.trim();
  const name = f.name.toLowerCase();
  return blocked.find((b) => (b.startsWith(".") ? name.endsWith(b) : b === type)) ?? null;
}

/** Why these files cannot be sent together (a sentence; tooLarge for a size limit), or null when they can. */
export function uploadProblem(files: UploadFile[], limits: UploadLimits): { message: string; tooLarge: boolean } | null {
  const no = (message: string, tooLarge = false) => ({ message, tooLarge });
  if (files.length > limits.maxFiles) return no(`You can attach up to ${limits.maxFiles} files per send (${files.length} chosen).`);
  for (const f of files) {
    const kind = blockedKind(f, limits.blocked);
    if (kind) return no(`“${f.name}” cannot be sent: ${kind.startsWith(".") ? `${kind} files` : kind} are not allowed as attachments.`);
  }
  const big = files.find((f) => f.size > limits.maxBytes);
  if (big) return no(`“${big.name}” is ${formatBytes(big.size)}; the limit is ${formatBytes(limits.maxBytes)} per send.`, true);
  const total = files.reduce((s, f) => s + f.size, 0);
  if (total > limits.maxBytes) return no(`These files add up to ${formatBytes(total)}; the limit is ${formatBytes(limits.maxBytes)} per send.`, true);
  return null;
}

/** A file name safe to store and show: no control characters or broken Unicode, at most 255 characters. */
export function cleanFileName(name: string): string {
  const clean = name
    .slice(0, 255)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
    .replace(/[\u0000-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "")
    .trim();
  return clean || "file";
}
