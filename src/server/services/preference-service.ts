// A user's own settings (notifications, sound, watched views, auto-assign on reply). A missing row
// means the defaults; only the signed-in user's row is ever read or written here.
import { z } from "zod";
import { db } from "../db.ts";

export const WATCHABLE_VIEWS = ["mine", "unassigned", "all"] as const;

export const preferenceInput = z
  .object({
    autoAssignOnReply: z.boolean(),
    desktopNotifications: z.boolean(),
    sound: z.boolean(),
    watchedViews: z.array(z.enum(WATCHABLE_VIEWS)).max(WATCHABLE_VIEWS.length),
  })
  .partial()
  .strict();

export type Preferences = { autoAssignOnReply: boolean; desktopNotifications: boolean; sound: boolean; watchedViews: string[] };

const DEFAULTS: Preferences = { autoAssignOnReply: true, desktopNotifications: false, sound: false, watchedViews: ["mine", "unassigned"] };
const select = { autoAssignOnReply: true, desktopNotifications: true, sound: true, watchedViews: true } as const;

export async function getPreferences(userId: string): Promise<Preferences> {
  return (await db.userPreference.findUnique({ where: { userId }, select })) ?? { ...DEFAULTS };
}

export async function updatePreferences(userId: string, change: z.infer<typeof preferenceInput>): Promise<Preferences> {
  const data = change.watchedViews ? { ...change, watchedViews: [...new Set(change.watchedViews)] } : change;
  return db.userPreference.upsert({ where: { userId }, create: { userId, ...data }, update: data, select });
}
