"use server";
// Server actions of the inbox: send (optimistic, see send-service), retry, mark read / unread.
// Each parses its input with zod, checks the session (runAction) and the grant, then calls a service.
import { z } from "zod";
import { assertChatAccess } from "../access.ts";
import { setChatRead } from "../services/chat-service.ts";
import { type OutgoingFile, assertUploadSize, retryMessage, sendMessage } from "../services/send-service.ts";
import { getUnipile } from "../unipile/client.ts";
import { runAction } from "./run.ts";

const id = z.string().min(1, "Missing id").max(200);
/** A browser File from FormData (checked by shape: Next's and Node's File classes may differ). */
const file = z.custom<File>((v) => typeof v === "object" && v !== null && "arrayBuffer" in v && "size" in v, "Not a file");

const sendForm = z.object({
  chatId: id,
  clientTxnId: z.string().min(1, "Missing client transaction id").max(64),
  text: z.string().default(""),
  // An empty field means "not a reply".
  quoteId: z.string().max(200).nullish().transform((v) => v || null),
  files: z.array(z.union([file, z.string()])).transform((all) => all.filter((f): f is File => typeof f !== "string" && f.size > 0)),
});

/** FormData: chatId, clientTxnId, text, quoteId?, files (0..n). */
export async function sendMessageAction(form: FormData) {
  return runAction(async (user) => {
    const input = sendForm.parse({
      chatId: form.get("chatId"),
      clientTxnId: form.get("clientTxnId"),
      text: form.get("text") ?? undefined,
      quoteId: form.get("quoteId"),
      files: form.getAll("files"),
    });
    // Before reading any file into memory.
    assertUploadSize(input.files.map((f) => ({ name: f.name, size: f.size })));
    const files: OutgoingFile[] = await Promise.all(
      input.files.map(async (f) => ({ name: f.name || "file", type: f.type || "application/octet-stream", data: new Uint8Array(await f.arrayBuffer()) })),
    );
    const m = await sendMessage(
      user,
      { chatId: input.chatId, clientTxnId: input.clientTxnId, text: input.text, quoteMessageId: input.quoteId, files },
      getUnipile(),
    );
    return { id: m.id, status: m.status, statusError: m.statusError };
  });
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
