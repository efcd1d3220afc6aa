// What every server action does around its work: the session first, then the work, and any error
// as the one action result of errors.ts (a code and a sentence for the toast).
import { currentUser } from "../auth.ts";
import { noteWrite } from "../db-read.ts";
import type { SessionUser } from "../access.ts";
import { type ActionResult, AppError, toActionResult } from "../errors.ts";

export async function runAction<T>(work: (user: SessionUser) => Promise<T>): Promise<ActionResult<T>> {
  try {
    const user = await currentUser();
    if (!user) throw new AppError("UNAUTHORIZED", "Your session ended. Sign in again.");
    try {
      return { ok: true, data: await work(user) };
    } finally {
      // Actions write (send, retry, resync…): this user's next reads must see it (db-read.ts).
      await noteWrite(user.id);
    }
  } catch (err) {
    return toActionResult(err);
  }
}
