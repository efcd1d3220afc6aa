// The thread's data as the routers return it: derived, never re-declared, so a field added on the
// server reaches the screen's types without a cast.
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type Outputs = inferRouterOutputs<AppRouter>;

export type ChatDetail = Outputs["chat"]["get"];
/** A stored message, or one of ours still on its way (then `localFiles` names its files). */
export type ThreadMessage = Outputs["message"]["list"]["items"][number] & { localFiles?: string[] };
/** What the composer keeps of the message being answered (also stored with the draft). */
export type ReplyTarget = Pick<ThreadMessage, "id" | "senderName" | "text">;
/** A note or an activity line, placed between the messages by time (see timeline.ts). */
export type TimelineEntry = Outputs["message"]["list"]["timeline"][number];
