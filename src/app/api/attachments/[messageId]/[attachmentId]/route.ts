// Streams an attachment to the browser through our server: session and grant checked, the file
// from the local copy or Unipile (see openAttachment).
import { assertMessageAccess } from "@/server/access";
import { currentUser } from "@/server/auth";
import { AppError, errorResponse } from "@/server/errors";
import { openAttachment } from "@/server/attachments/serve";
import { getUnipile } from "@/server/unipile/client";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, ctx: { params: Promise<{ messageId: string; attachmentId: string }> }) {
  try {
    const user = await currentUser();
    if (!user) throw new AppError("UNAUTHORIZED", "Sign in first");
    const { messageId, attachmentId } = await ctx.params;
    const message = await assertMessageAccess(user, messageId);
    return await openAttachment(message, attachmentId, (m, a, o) => getUnipile().downloadAttachment(m, a, o));
  } catch (err) {
    return errorResponse(err);
  }
}
