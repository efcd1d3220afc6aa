// Serving attachments and pictures after the grant check, against a real (migrated) PostgreSQL, with
// Unipile's side played by functions: headers, refusals, and what reaches Unipile. The local copies
// against the real simulator are in cache.int.test.ts.
import { describe, expect, it } from "vitest";
import { assertAttendeeAccess, assertMessageAccess, type SessionUser } from "@/server/access.ts";
import { db } from "@/server/db.ts";
import { seededInbox } from "@test/support/inbox-seed.ts";
import { openAttachment, openAvatar } from "./serve.ts";

const inbox = seededInbox();

describe("attachments", () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
  let calls: string[] = [];
  const download = async (m: string, a: string) => {
    calls.push(`${m}/${a}`);
    return {
      body: new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(png);
          c.close();
        },
      }),
      contentType: "image/png",
      contentLength: png.byteLength,
    };
  };
  // As the attachment route does: the grant check, then the file.
  const open = async (user: SessionUser, messageId: string, attachmentId: string) =>
    openAttachment(await assertMessageAccess(user, messageId), attachmentId, download);

  it("streams a granted attachment from Unipile with safe headers", async () => {
    const m = await db.message.findUniqueOrThrow({ where: { unipileId: "u_m_3" } });
    const att = await db.attachment.create({ data: { messageId: m.id, unipileId: "att_1", kind: "img", mimeType: "image/png", name: "pic.png" } });
    calls = [];
    const res = await open(inbox.agent, m.id, att.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(png);
    expect(calls).toEqual(["u_m_3/att_1"]);
  });

  it("refuses an agent without the grant before asking Unipile", async () => {
    const m = await db.message.findUniqueOrThrow({ where: { unipileId: "u_secret_1" } });
    const att = await db.attachment.create({ data: { messageId: m.id, unipileId: "att_2", kind: "file", name: "board.pdf" } });
    calls = [];
    await expect(open(inbox.agent, m.id, att.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(calls).toEqual([]);
    // An attachment id from another message is not found, even for the admin.
    const other = await db.message.findUniqueOrThrow({ where: { unipileId: "u_m_3" } });
    await expect(open(inbox.admin, other.id, att.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("answers 404 for an unavailable file and downloads (not renders) risky types", async () => {
    const m = await db.message.findUniqueOrThrow({ where: { unipileId: "u_m_4" } });
    const gone = await db.attachment.create({ data: { messageId: m.id, unipileId: "att_3", kind: "img", unavailable: true } });
    await expect(open(inbox.admin, m.id, gone.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const html = await db.attachment.create({ data: { messageId: m.id, unipileId: "att_4", kind: "file", mimeType: "text/html", name: "x.html" } });
    const res = await open(inbox.admin, m.id, html.id);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
  });
});

describe("profile pictures", () => {
  let calls: string[] = [];
  const picture = (type: string) => async (id: string) => {
    calls.push(id);
    return { body: new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])]).stream(), contentType: type, contentLength: 4 };
  };

  // As the avatar route does: the grant check, then the picture.
  const avatar = async (user: SessionUser, attendeeId: string, download: ReturnType<typeof picture>) =>
    openAvatar(await assertAttendeeAccess(user, attendeeId), download);

  it("streams a granted picture from Unipile, 404 for people without one, 403 without the grant", async () => {
    const ana = await db.attendee.findFirstOrThrow({ where: { providerId: "p_ana" } });
    calls = [];
    const res = await avatar(inbox.agent, ana.id, picture("image/png"));
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("private, max-age=86400");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    expect(calls).toEqual(["u_att_ana"]);

    const bo = await db.attendee.findFirstOrThrow({ where: { providerId: "p_bo" } });
    await expect(avatar(inbox.agent, bo.id, picture("image/png"))).rejects.toMatchObject({ code: "NOT_FOUND" });
    const boss = await db.attendee.create({ data: { accountId: "acc_li", providerId: "p_boss", unipileId: "u_att_boss", pictureUrl: "https://cdn.example/b.png" } });
    await expect(avatar(inbox.agent, boss.id, picture("image/png"))).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(calls).toEqual(["u_att_ana"]);
    // Whatever Unipile answers, only a raster image is served.
    await expect(avatar(inbox.admin, boss.id, picture("text/html"))).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
