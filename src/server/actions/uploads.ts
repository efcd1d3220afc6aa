// The send action's form handling, apart from the "use server" file so it can be tested: the form's
// fields, the upload rules (count, type, size; lib/upload-rules.ts), and a bound on how many sends with
// files are read into memory at once.
import { z } from "zod";
import { cleanFileName } from "@/lib/upload-rules.ts";
import type { SessionUser } from "../access.ts";
import { env } from "../env.ts";
import { type OutgoingFile, type SendRemote, assertUploadAllowed, sendMessage } from "../services/send-service.ts";

/** A counting semaphore: at most `limit` holders, the rest wait in arrival order. */
export function createSemaphore(limit: () => number) {
  let held = 0;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (held >= limit()) await new Promise<void>((resolve) => waiting.push(resolve));
      else held++;
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else held--;
      }
    },
    get held() {
      return held;
    },
    get waiting() {
      return waiting.length;
    },
  };
}

// Each send with files holds several copies of them (the bytes, the database write, the request to
// Unipile): only UPLOAD_CONCURRENCY of them at once, so parallel uploads cannot exhaust memory.
export const uploadSlots = createSemaphore(() => env.UPLOAD_CONCURRENCY);

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
export async function sendFromForm(user: SessionUser, form: FormData, remote: SendRemote) {
  const input = sendForm.parse({
    chatId: form.get("chatId"),
    clientTxnId: form.get("clientTxnId"),
    text: form.get("text") ?? undefined,
    quoteId: form.get("quoteId"),
    files: form.getAll("files"),
  });
  const declared = input.files.map((f) => ({ name: cleanFileName(f.name), size: f.size, type: f.type || "application/octet-stream" }));
  // Before reading any file into memory.
  assertUploadAllowed(declared);
  const send = async () => {
    const files: OutgoingFile[] = await Promise.all(
      input.files.map(async (f, i) => ({ name: declared[i]!.name, type: declared[i]!.type, data: new Uint8Array(await f.arrayBuffer()) })),
    );
    return sendMessage(user, { chatId: input.chatId, clientTxnId: input.clientTxnId, text: input.text, quoteMessageId: input.quoteId, files }, remote);
  };
  const m = await (input.files.length > 0 ? uploadSlots.run(send) : send());
  return { id: m.id, status: m.status, statusError: m.statusError };
}
