"use server";
// Server actions of the inbox: send (optimistic, see send-service), retry, mark read / unread.
// Each parses its input with zod, checks the session (runAction) and the grant, then calls a service.
import { z } from "zod";
import { assertChatAccess } from "../access.ts";
import { setChatRead } from "../services/chat-service.ts";
import { retryMessage } from "../services/send-service.ts";
import { getUnipile } from "../unipile/client.ts";
import { runAction } from "./run.ts";
import { sendFromForm } from "./uploads.ts";

const id = z.string().min(1, "Missing id").max(200);

/** FormData: chatId, clientTxnId, text, quoteId?, files (0..n); the rules are in uploads.ts. */
export async function sendMessageAction(form: FormData) {
  return runAction((user) => sendFromForm(user, form, getUnipile()));
}

export async function retryMessageAction(messageId: string) {
  return runAction(async (user) => {
    const m = await retryMessage(user, id.parse(messageId), getUnipile());
    return { id: m.id, status: m.status, statusError: m.statusError };
  });
}

export async function setChatReadAction(chatId: string, read: boolean) {
  return runAction(async (user) => {
    const input = z.object({ chatId: id, read: z.boolean() }).parse({ chatId, read });
    const chat = await assertChatAccess(user, input.chatId);
    return setChatRead(chat, input.read, (unipileId, r) => getUnipile().setChatReadStatus(unipileId, r));
  });
}
