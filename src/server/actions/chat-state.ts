"use server";
// Archive, pin, mute from the thread header, the list row menu and the keyboard: the session, the
// chat's grant, then chat-state-service (Unipile first, then our row).
import { z } from "zod";
import { assertChatAccess } from "../access.ts";
import { setChatState } from "../services/chat-state-service.ts";
import { getUnipile } from "../unipile/client.ts";
import { runAction } from "./run.ts";

const changeSchema = z.discriminatedUnion(
  "action",
  [
    z.object({ action: z.literal("archive"), value: z.boolean() }),
    z.object({ action: z.literal("pin"), value: z.boolean() }),
    z.object({
      action: z.literal("mute"),
      value: z.boolean(),
      until: z.date({ error: "The mute end is not a time." }).nullish(),
    }),
  ],
  { error: "Unknown chat action." },
);

export async function setChatStateAction(chatId: string, change: unknown) {
  return runAction(async (user) => {
    const input = z.object({ chatId: z.string().min(1, "Missing id").max(200), change: changeSchema }).parse({ chatId, change });
    const chat = await assertChatAccess(user, input.chatId);
    return setChatState(chat, input.change, (unipileId, c) => getUnipile().setChatStatus(unipileId, c));
  });
}
