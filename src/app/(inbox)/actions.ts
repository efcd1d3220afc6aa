"use server";
// Server actions of the inbox: send (optimistic, see send-service), retry, mark read / unread.
// Each checks the session and the grant through the services; errors come back as a message for a toast.
import { currentUser } from "@/server/auth";
import { AppError } from "@/server/errors";
import { setChatRead } from "@/server/services/chat-service";
import { type OutgoingFile, assertUploadSize, retryMessage, sendMessage } from "@/server/services/send-service";
import { getUnipile } from "@/server/unipile/client";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string; code: string };

async function run<T>(fn: (user: NonNullable<Awaited<ReturnType<typeof currentUser>>>) => Promise<T>): Promise<ActionResult<T>> {
  const user = await currentUser();
  if (!user) return { ok: false, code: "UNAUTHORIZED", error: "Your session ended. Sign in again." };
  try {
    return { ok: true, data: await fn(user) };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code, error: err.message };
    console.error(err);
    return { ok: false, code: "INTERNAL", error: "Something went wrong. Try again." };
  }
}

const str = (v: FormDataEntryValue | null) => (typeof v === "string" ? v : "");

/** FormData: chatId, clientTxnId, text, quoteId?, files (0..n). */
export async function sendMessageAction(form: FormData) {
  return run(async (user) => {
    const uploads = form.getAll("files").filter((f): f is File => typeof f !== "string" && f.size > 0);
    assertUploadSize(uploads.map((f) => ({ name: f.name, size: f.size })));
    const files: OutgoingFile[] = await Promise.all(
      uploads.map(async (f) => ({ name: f.name || "file", type: f.type || "application/octet-stream", data: new Uint8Array(await f.arrayBuffer()) })),
    );
    const m = await sendMessage(
      user,
      { chatId: str(form.get("chatId")), clientTxnId: str(form.get("clientTxnId")), text: str(form.get("text")), quoteMessageId: str(form.get("quoteId")) || null, files },
      getUnipile(),
    );
    return { id: m.id, status: m.status, statusError: m.statusError };
  });
}

export async function retryMessageAction(messageId: string) {
  return run(async (user) => {
    const m = await retryMessage(user, String(messageId), getUnipile());
    return { id: m.id, status: m.status, statusError: m.statusError };
  });
}

export async function setChatReadAction(chatId: string, read: boolean) {
  return run((user) => setChatRead(user, String(chatId), read === true, (id, r) => getUnipile().setChatReadStatus(id, r)));
}
