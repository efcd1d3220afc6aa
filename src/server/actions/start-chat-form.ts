// The start-a-conversation form (apart from the "use server" file, so it can be tested): its fields,
// the upload rules before any file is read, and the same bound on sends holding file bytes as a send.
import { z } from "zod";
import { cleanFileName } from "@/lib/upload-rules.ts";
import type { SessionUser } from "../access.ts";
import { assertUploadAllowed, type OutgoingFile } from "../services/send-service.ts";
import { type PersonRef, prepareStartChat, type StartRemote } from "../services/start-chat-service.ts";
import { uploadSlots } from "./uploads.ts";

const id = z.string().min(1, "Missing id").max(200);
const file = z.custom<File>((v) => typeof v === "object" && v !== null && "arrayBuffer" in v && "size" in v, "Not a file");

const startForm = z.object({
  accountId: id,
  person: z
    .string()
    .max(1000)
    .transform((raw, ctx): PersonRef => {
      try {
        const p = JSON.parse(raw) as Record<string, unknown>;
        if (p.kind === "attendee" && typeof p.attendeeId === "string") return { kind: "attendee", attendeeId: p.attendeeId };
        if (p.kind === "linkedin" && typeof p.url === "string") return { kind: "linkedin", url: p.url };
        if (p.kind === "phone" && typeof p.phone === "string") return { kind: "phone", phone: p.phone };
      } catch {}
      ctx.addIssue({ code: "custom", message: "Pick who the conversation is with" });
      return z.NEVER;
    }),
  clientTxnId: z.string().min(1, "Missing client transaction id").max(64),
  text: z.string().max(25_000).default(""),
  inmail: z
    .enum(["true", "false"])
    .nullish()
    .transform((v) => v === "true"),
  subject: z.string().max(1000).nullish(),
  files: z
    .array(z.union([file, z.string()]))
    .transform((all) => all.filter((f): f is File => typeof f !== "string" && f.size > 0)),
});

/** FormData: accountId, person (JSON PersonRef), clientTxnId, text, inmail?, subject?, files (0..n). */
export async function prepareStartFromForm(user: SessionUser, form: FormData, remote: Pick<StartRemote, "getUserProfile">) {
  const input = startForm.parse({
    accountId: form.get("accountId"),
    person: form.get("person"),
    clientTxnId: form.get("clientTxnId"),
    text: form.get("text") ?? undefined,
    inmail: form.get("inmail"),
    subject: form.get("subject"),
    files: form.getAll("files"),
  });
  const declared = input.files.map((f) => ({
    name: cleanFileName(f.name),
    size: f.size,
    type: f.type || "application/octet-stream",
  }));
  assertUploadAllowed(declared);
  const prepare = async () => {
    const files: OutgoingFile[] = await Promise.all(
      input.files.map(async (f, i) => ({
        name: declared[i]!.name,
        type: declared[i]!.type,
        data: new Uint8Array(await f.arrayBuffer()),
      })),
    );
    return prepareStartChat(user, { ...input, files }, remote);
  };
  return input.files.length > 0 ? uploadSlots.run(prepare) : prepare();
}
