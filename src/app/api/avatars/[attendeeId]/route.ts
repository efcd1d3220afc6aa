// A contact's profile picture through our server: session and grant checked, the image from the local
// copy or Unipile (see openAvatar). The browser shows initials when this answers 404.
import { assertAttendeeAccess } from "@/server/access";
import { currentUser } from "@/server/auth";
import { AppError, errorResponse } from "@/server/errors";
import { openAvatar } from "@/server/attachments/serve";
import { getUnipile } from "@/server/unipile/client";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, ctx: { params: Promise<{ attendeeId: string }> }) {
  try {
    const user = await currentUser();
    if (!user) throw new AppError("UNAUTHORIZED", "Sign in first");
    const { attendeeId } = await ctx.params;
    const attendee = await assertAttendeeAccess(user, attendeeId);
    return await openAvatar(attendee, (id, o) => getUnipile().downloadPicture(id, o));
  } catch (err) {
    return errorResponse(err);
  }
}
