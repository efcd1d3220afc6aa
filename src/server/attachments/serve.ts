// Attachments and profile pictures as HTTP responses, after the route checked session and grant: the
// local copy when there is one (Unipile may be down, its URLs expire), else Unipile's file, streamed
// and kept on the way (cache.ts). Either way the same headers, and nothing that can run on our origin.
import type { assertAttendeeAccess, assertMessageAccess } from "../access.ts";
import { db } from "../db.ts";
import { AppError } from "../errors.ts";
import { attachmentKey, keepWhileStreaming, pictureKey, readCached } from "./cache.ts";

type CheckedMessage = Awaited<ReturnType<typeof assertMessageAccess>>;
type CheckedAttendee = Awaited<ReturnType<typeof assertAttendeeAccess>>;

type RemoteFile = { body: ReadableStream<Uint8Array>; contentType: string; contentLength: number | null };

/** What the attachment route needs from Unipile (the real client's downloadAttachment fits). */
export type AttachmentRemote = (
  messageUnipileId: string,
  attachmentUnipileId: string,
  o: { accountId: string },
) => Promise<RemoteFile>;
/** What the avatar route needs from Unipile (the real client's downloadPicture fits). */
export type PictureRemote = (attendeeUnipileId: string, o: { accountId: string }) => Promise<RemoteFile>;

/** Types a browser may render inline; anything else downloads, so an uploaded HTML/SVG never runs on our origin. */
const INLINE = /^(image\/(png|jpe?g|gif|webp|avif)|video\/(mp4|webm|ogg|quicktime)|audio\/[\w.+-]+|application\/pdf)$/i;
const IMAGE = /^image\/(png|jpe?g|gif|webp|avif)$/i;

/** Unipile's file, or a clear 404 when it is gone there. */
async function fetchRemote(fetchFile: () => Promise<RemoteFile>, gone: string, what: string): Promise<RemoteFile> {
  try {
    return await fetchFile();
  } catch (err) {
    if ((err as { status?: number }).status === 404) throw new AppError("NOT_FOUND", gone);
    throw new AppError("UPSTREAM", `Could not fetch the ${what} from Unipile`, { cause: err });
  }
}

/** A file as an HTTP response that can never run as a page on our origin. */
function fileResponse(body: BodyInit, contentLength: number | null, headers: Record<string, string>) {
  const h = new Headers({
    ...headers,
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
  });
  if (contentLength !== null) h.set("content-length", String(contentLength));
  return new Response(body, { headers: h });
}

/** Which attachment, in our ids and Unipile's. */
export type AttachmentRef = { id: string; unipileId: string; messageUnipileId: string; accountId: string };

/** Bytes of one attachment, from the copy or from Unipile (then kept while they stream). */
async function attachmentBytes(att: AttachmentRef, download: AttachmentRemote, gone: string) {
  const key = attachmentKey(att.id);
  const copy = await readCached(key);
  if (copy) return { body: copy.bytes, contentLength: copy.bytes.byteLength, contentType: copy.contentType };
  const file = await fetchRemote(
    () => download(att.messageUnipileId, att.unipileId, { accountId: att.accountId }),
    gone,
    "attachment",
  );
  return {
    body: keepWhileStreaming(file.body, key, file.contentType),
    contentLength: file.contentLength,
    contentType: file.contentType,
  };
}

/**
 * An attachment as an HTTP response (stored URLs expire and never reach the browser). Unavailable or
 * vanished files are a clear 404.
 */
export async function openAttachment(message: CheckedMessage, attachmentId: string, download: AttachmentRemote) {
  const att = await db.attachment.findFirst({
    where: { id: attachmentId, messageId: message.id },
    select: { id: true, unipileId: true, name: true, mimeType: true, unavailable: true },
  });
  if (!att) throw new AppError("NOT_FOUND", "Attachment not found");
  const gone = "This attachment is no longer available";
  if (att.unavailable || !message.unipileId) throw new AppError("NOT_FOUND", gone);
  const ref = { id: att.id, unipileId: att.unipileId, messageUnipileId: message.unipileId, accountId: message.chat.accountId };
  const file = await attachmentBytes(ref, download, gone);
  const type = (att.mimeType ?? file.contentType).split(";")[0]!.trim() || "application/octet-stream";
  const inline = INLINE.test(type);
  return fileResponse(file.body, file.contentLength, {
    "content-type": inline ? type : "application/octet-stream",
    "content-disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(att.name ?? "attachment")}`,
    "cache-control": "private, max-age=3600",
  });
}

/**
 * A person's profile picture (our attendee id), like attachments: the copy made for their current
 * picture, else Unipile's. 404 when they have none, so the browser keeps showing initials; only raster
 * images are served (and kept).
 */
export async function openAvatar(attendee: CheckedAttendee, download: PictureRemote) {
  const none = "This contact has no picture";
  if (!attendee.pictureUrl || !attendee.unipileId) throw new AppError("NOT_FOUND", none);
  const headers = (type: string) => ({ "content-type": type, "cache-control": "private, max-age=86400" });
  const key = pictureKey(attendee.accountId, attendee.unipileId);
  const copy = await readCached(key);
  // A copy of an earlier picture is a miss: the new one replaces it below.
  if (copy && copy.source === attendee.pictureUrl)
    return fileResponse(copy.bytes, copy.bytes.byteLength, headers(copy.contentType));
  const file = await fetchRemote(() => download(attendee.unipileId!, { accountId: attendee.accountId }), none, "picture");
  const type = file.contentType.split(";")[0]!.trim();
  if (!IMAGE.test(type)) {
    await file.body.cancel().catch(() => {});
    throw new AppError("NOT_FOUND", none);
  }
  return fileResponse(keepWhileStreaming(file.body, key, type, attendee.pictureUrl), file.contentLength, headers(type));
}
