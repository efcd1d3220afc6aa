// The send action's upload rules against a real (migrated) PostgreSQL, with real FormData and Files:
// too many files, refused types, too large a total and a NUL in a name are answered with a sentence and
// store nothing; sends with files wait their turn beyond UPLOAD_CONCURRENCY.
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { resetEnvForTests } from "@/server/env.ts";
import { AppError } from "@/server/errors.ts";
import type { SendMessageInput } from "@/server/unipile/client.ts";
import type { SendRemote } from "@/server/services/send-service.ts";
import { seededInbox } from "@test/support/inbox-seed.ts";
import { sendFromForm, uploadSlots } from "./uploads.ts";

const inbox = seededInbox();
afterEach(() => {
  for (const name of ["UPLOAD_MAX_BYTES", "UPLOAD_BLOCKED_TYPES", "UPLOAD_CONCURRENCY"]) delete process.env[name];
  resetEnvForTests();
});

let txn = 0;
function form(files: File[], text = "") {
  const f = new FormData();
  f.set("chatId", inbox.chats.group);
  f.set("clientTxnId", `txn-upload-${String(++txn).padStart(4, "0")}`);
  f.set("text", text);
  for (const file of files) f.append("files", file);
  return f;
}

/** Records what Unipile was asked to send. */
function recorder() {
  const sent: SendMessageInput[] = [];
  const remote: SendRemote = {
    async sendMessage(_chat, input) {
      sent.push(input);
      return { message_id: `u_up_${sent.length}` };
    },
  };
  return { sent, remote };
}

async function refusal(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const stored = async () => ({ messages: await db.message.count(), outbox: await db.outboxFile.count() });

describe("upload rules of the send action", () => {
  it("refuses more than UPLOAD_MAX_FILES files (10 by default) and stores nothing", async () => {
    const { sent, remote } = recorder();
    const before = await stored();
    const files = Array.from({ length: 11 }, (_, i) => new File([`file ${i}`], `f${i}.txt`, { type: "text/plain" }));
    const err = await refusal(sendFromForm(inbox.admin, form(files), remote));
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.message).toBe("You can attach up to 10 files per send (11 chosen).");
    expect(await stored()).toEqual(before);
    expect(sent).toHaveLength(0);
    // Ten are fine.
    await sendFromForm(inbox.admin, form(files.slice(0, 10)), remote);
    expect(sent[0]!.attachments).toHaveLength(10);
  });

  it("refuses HTML and programs by type or by name, with a clear message", async () => {
    const { sent, remote } = recorder();
    const before = await stored();
    const html = await refusal(sendFromForm(inbox.admin, form([new File(["<script>x</script>"], "page.txt", { type: "text/html" })]), remote));
    expect(html.message).toBe("“page.txt” cannot be sent: text/html are not allowed as attachments.");
    const exe = await refusal(sendFromForm(inbox.admin, form([new File(["MZ"], "setup.EXE", { type: "application/octet-stream" })]), remote));
    expect(exe.code).toBe("BAD_REQUEST");
    expect(exe.message).toBe("“setup.EXE” cannot be sent: .exe files are not allowed as attachments.");
    expect(await stored()).toEqual(before);
    expect(sent).toHaveLength(0);
  });

  it("takes the refused types from UPLOAD_BLOCKED_TYPES", async () => {
    process.env.UPLOAD_BLOCKED_TYPES = "application/pdf";
    resetEnvForTests();
    const { sent, remote } = recorder();
    const pdf = await refusal(sendFromForm(inbox.admin, form([new File(["%PDF"], "a.pdf", { type: "application/pdf" })]), remote));
    expect(pdf.message).toMatch(/application\/pdf are not allowed/);
    await sendFromForm(inbox.admin, form([new File(["<p>hi</p>"], "note.html", { type: "text/html" })]), remote);
    expect(sent.map((s) => s.attachments?.[0]?.name)).toEqual(["note.html"]);
  });

  it("refuses files that add up to more than UPLOAD_MAX_BYTES with 413 and the sizes", async () => {
    process.env.UPLOAD_MAX_BYTES = "2048";
    resetEnvForTests();
    const { sent, remote } = recorder();
    const before = await stored();
    const kb = (name: string) => new File([new Uint8Array(1200)], name, { type: "image/png" });
    const err = await refusal(sendFromForm(inbox.admin, form([kb("a.png"), kb("b.png")]), remote));
    expect(err.code).toBe("PAYLOAD_TOO_LARGE");
    expect(err.message).toBe("These files add up to 2 KB; the limit is 2 KB per send.");
    expect(await stored()).toEqual(before);
    expect(sent).toHaveLength(0);
  });

  it("sends a file whose name holds a NUL under a cleaned name instead of failing", async () => {
    const { sent, remote } = recorder();
    const res = await sendFromForm(inbox.admin, form([new File(["hello"], "re\u0000port\u0007.txt", { type: "text/plain" })]), remote);
    expect(res.status).toBe("sent");
    expect(sent[0]!.attachments?.map((a) => a.name)).toEqual(["report.txt"]);
    const chat = await db.chat.findUniqueOrThrow({ where: { id: inbox.chats.group } });
    expect(chat.lastMessagePreview).toBe("report.txt");
  });

  it("lets only UPLOAD_CONCURRENCY sends with files hold their bytes at once; the others wait their turn", async () => {
    process.env.UPLOAD_CONCURRENCY = "1";
    resetEnvForTests();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const started: string[] = [];
    const remote: SendRemote = {
      async sendMessage(_chat, input) {
        const name = input.attachments?.[0]?.name ?? "(text)";
        started.push(name);
        if (name === "one.txt") await gate;
        return { message_id: `u_slot_${started.length}` };
      },
    };
    const file = (name: string) => new File(["x"], name, { type: "text/plain" });
    const first = sendFromForm(inbox.admin, form([file("one.txt")]), remote);
    const second = sendFromForm(inbox.admin, form([file("two.txt")]), remote);
    await expect.poll(() => started.length).toBe(1);
    await expect.poll(() => uploadSlots.waiting).toBe(1);
    expect(started).toEqual(["one.txt"]);
    // A text-only send holds no upload slot: it goes through meanwhile.
    await expect(sendFromForm(inbox.admin, form([], "just text"), remote)).resolves.toMatchObject({ status: "sent" });
    release();
    await expect(Promise.all([first, second])).resolves.toMatchObject([{ status: "sent" }, { status: "sent" }]);
    expect(started).toEqual(["one.txt", "(text)", "two.txt"]);
    expect(uploadSlots.held).toBe(0);
  });
});
