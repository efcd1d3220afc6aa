// Streams an attachment to the browser through our server: session and grant checked here, the file
// fetched from Unipile on demand (its stored URLs expire and carry no auth for the browser).
import { assertMessageAccess } from "@/server/access";
import { currentUser } from "@/server/auth";
import { db } from "@/server/db";
import { AppError, errorResponse } from "@/server/errors";
import { getUnipile } from "@/server/unipile/client";
import { UnipileError } from "@/server/unipile/errors";

export const dynamic = "force-dynamic";

/** Types a browser may render inline; anything else downloads, so an uploaded HTML/SVG never runs on our origin. */
const INLINE = /^(image\/(png|jpe?g|gif|webp|avif)|video\/(mp4|webm|ogg|quicktime)|audio\/[\w.+-]+|application\/pdf)$/i;

export async function GET(_req: Request, ctx: { params: Promise<{ messageId: string; attachmentId: string }> }) {
  try {
    const user = await currentUser();
    if (!user) throw new AppError("UNAUTHORIZED", "Sign in first");
    const { messageId, attachmentId } = await ctx.params;
    const message = await assertMessageAccess(user, messageId);
    const att = await db.attachment.findFirst({
      where: { id: attachmentId, messageId },
      select: { unipileId: true, name: true, mimeType: true, unavailable: true },
    });
    if (!att) throw new AppError("NOT_FOUND", "Attachment not found");
    if (att.unavailable || !message.unipileId) throw new AppError("NOT_FOUND", "This attachment is no longer available");
    let file: Awaited<ReturnType<ReturnType<typeof getUnipile>["downloadAttachment"]>>;
    try {
      file = await getUnipile().downloadAttachment(message.unipileId, att.unipileId, { accountId: message.chat.accountId });
    } catch (err) {
      if (err instanceof UnipileError && err.isNotFound) throw new AppError("NOT_FOUND", "This attachment is no longer available");
      throw new AppError("UPSTREAM", "Could not fetch the attachment from Unipile", { cause: err });
    }
    const type = (att.mimeType ?? file.contentType).split(";")[0]!.trim() || "application/octet-stream";
    const name = (att.name ?? "attachment").replace(/[\r\n"]/g, "_");
    const headers = new Headers({
      "content-type": INLINE.test(type) ? type : "application/octet-stream",
      "content-disposition": `${INLINE.test(type) ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(name)}`,
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "cache-control": "private, max-age=3600",
    });
    if (file.contentLength !== null) headers.set("content-length", String(file.contentLength));
    return new Response(file.body, { headers });
  } catch (err) {
    return errorResponse(err);
  }
}
