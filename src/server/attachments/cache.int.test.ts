// The local copies of attachments and pictures against the real simulator over HTTP: a first view
// keeps the file, a later one needs no Unipile; limits per file and in total, least-recently-used
// eviction, and the files of a new message fetched ahead of any view (webhook → bridge → prefetch).
import { expect, it } from "vitest";
import { assertAttendeeAccess, assertMessageAccess, type SessionUser } from "@/server/access.ts";
import { db } from "@/server/db.ts";
import { resetEnvForTests } from "@/server/env.ts";
import { upsertAccounts } from "@/server/store/accounts.ts";
import { ensureChat } from "@/server/store/chats.ts";
import { getUnipile } from "@/server/unipile/client.ts";
import { drainApplyQueue } from "@/server/webhooks/apply.ts";
import { seedAdminAndAgent } from "@test/support/users.ts";
import { simulatorBehindBridge } from "@test/support/webhook-bridge.ts";
import { simControl } from "../../../simulator/testing.ts";
import { attachmentKey, heldForTests } from "./cache.ts";
import { prefetchIdle } from "./prefetch.ts";
import { openAttachment, openAvatar } from "./serve.ts";

const h = simulatorBehindBridge({ secret: "whsec-cache-0123456789abcdef", seed: 13, chats: 4, messages: 3 });
let admin: SessionUser;
let simChatId: string;

function settings(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvForTests();
}
// Each test states what it needs; prefetch only where it is the subject.
const defaults = { ATTACHMENT_CACHE_MAX_BYTES: undefined, ATTACHMENT_CACHE_MAX_FILE_BYTES: undefined, ATTACHMENT_PREFETCH_HOURS: "0" };

/** A file of `size` bytes whose content is unique to `seed`. */
function fileOf(seed: number, size: number) {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (seed * 31 + i * 7) % 251;
  return bytes;
}

/** A message with these files from the other person, delivered by webhook and applied; our attachment ids. */
async function inbound(files: { name: string; type: string; bytes: Uint8Array }[]) {
  const { message_id } = await simControl<{ message_id: string }>(h.sim.url, "inbound", {
    chat_id: simChatId,
    attachments: files.map((f) => ({ name: f.name, type: f.type, data_base64: Buffer.from(f.bytes).toString("base64") })),
  });
  await h.sim.webhooks.idle();
  await drainApplyQueue();
  await prefetchIdle();
  const m = await db.message.findUniqueOrThrow({ where: { unipileId: message_id }, include: { attachments: true } });
  // In the order given (images carry no file name to sort by).
  const order = h.sim.store.getMessage(message_id)!.attachments.map((a) => a.id);
  return { messageId: m.id, ids: order.map((u) => m.attachments.find((a) => a.unipileId === u)!.id) };
}

// As the attachment route does: the grant check, then the file.
async function view(messageId: string, attachmentId: string) {
  const res = await openAttachment(await assertMessageAccess(admin, messageId), attachmentId, (m, a, o) =>
    getUnipile().downloadAttachment(m, a, o),
  );
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}
const kept = async (attachmentId: string) => (await db.cachedFile.count({ where: { key: attachmentKey(attachmentId) } })) === 1;
const downloads = async () =>
  (await simControl<{ requests: Record<string, number> }>(h.sim.url, "stats")).requests["GET /api/v1/messages/:id/attachments/:id"] ?? 0;

it("setup: a chat of the simulator known to us", async () => {
  await upsertAccounts((await h.client.listAccounts()).items);
  ({ admin } = await seedAdminAndAgent({ agentAccounts: [] }));
  const chat = [...h.sim.store.chats.values()].find((c) => c.type === 0 && h.sim.store.account(c.account_id)!.status === "OK")!;
  simChatId = chat.id;
  await ensureChat(chat.id, chat.account_id);
});

it("a first view streams Unipile's file and keeps it; the next view is served from the copy without asking Unipile", async () => {
  settings(defaults);
  const png = fileOf(1, 3000);
  const { messageId, ids } = await inbound([{ name: "photo.png", type: "image/png", bytes: png }]);
  expect(await kept(ids[0]!)).toBe(false);

  const first = await view(messageId, ids[0]!);
  expect(first.bytes).toEqual(png);
  expect(await kept(ids[0]!)).toBe(true);
  const before = await downloads();
  const second = await view(messageId, ids[0]!);
  expect(second.bytes).toEqual(png);
  expect(await downloads()).toBe(before);
  // The same headers as a live fetch: type, length, nosniff, sandbox, disposition, caching.
  expect(Object.fromEntries(second.res.headers)).toEqual(Object.fromEntries(first.res.headers));
  expect(second.res.headers.get("content-type")).toBe("image/png");
  expect(second.res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(second.res.headers.get("content-length")).toBe("3000");
});

it("stores the same bytes once, whichever messages carry them", async () => {
  settings(defaults);
  const same = fileOf(2, 500);
  const a = await inbound([{ name: "a.txt", type: "text/plain", bytes: same }]);
  const b = await inbound([{ name: "b.txt", type: "text/plain", bytes: same }]);
  await view(a.messageId, a.ids[0]!);
  const copy = await view(b.messageId, b.ids[0]!);
  expect(copy.res.headers.get("content-disposition")).toBe("attachment; filename*=UTF-8''b.txt");
  const files = await db.cachedFile.findMany({ where: { key: { in: [attachmentKey(a.ids[0]!), attachmentKey(b.ids[0]!)] } } });
  expect(files).toHaveLength(2);
  expect(files[0]!.sha256).toBe(files[1]!.sha256);
  expect(await db.cachedBlob.count({ where: { sha256: files[0]!.sha256 } })).toBe(1);
});

it("a file over the per-file limit is streamed in full but not kept", async () => {
  settings({ ...defaults, ATTACHMENT_CACHE_MAX_FILE_BYTES: "1000" });
  const big = fileOf(3, 5000);
  const small = fileOf(4, 1000);
  const { messageId, ids } = await inbound([
    { name: "1-big.bin", type: "application/zip", bytes: big },
    { name: "2-small.bin", type: "application/zip", bytes: small },
  ]);
  expect((await view(messageId, ids[0]!)).bytes).toEqual(big);
  expect((await view(messageId, ids[1]!)).bytes).toEqual(small);
  expect(await kept(ids[0]!)).toBe(false);
  expect(await kept(ids[1]!)).toBe(true);
  expect(heldForTests()).toBe(0);
  // Viewed again: the big one still comes from Unipile, whole.
  const before = await downloads();
  expect((await view(messageId, ids[0]!)).bytes).toEqual(big);
  expect(await downloads()).toBe(before + 1);
});

it("a view the browser abandons keeps nothing and holds no memory", async () => {
  settings(defaults);
  const { messageId, ids } = await inbound([{ name: "clip.mp4", type: "video/mp4", bytes: fileOf(5, 200_000) }]);
  const res = await openAttachment(await assertMessageAccess(admin, messageId), ids[0]!, (m, a, o) => getUnipile().downloadAttachment(m, a, o));
  const reader = res.body!.getReader();
  await reader.read();
  await reader.cancel();
  expect(heldForTests()).toBe(0);
  expect(await kept(ids[0]!)).toBe(false);
});

it("past the total, the least recently viewed files are evicted first", async () => {
  await db.cachedBlob.deleteMany();
  settings({ ...defaults, ATTACHMENT_CACHE_MAX_BYTES: "2500" });
  const { messageId, ids } = await inbound([1, 2, 3].map((n) => ({ name: `${n}.bin`, type: "application/zip", bytes: fileOf(10 + n, 1000) })));
  const [one, two, three] = ids as [string, string, string];
  await view(messageId, one);
  await view(messageId, two);
  await view(messageId, one); // now two is the least recently used
  await view(messageId, three); // 3000 bytes > 2500: two goes
  expect([await kept(one), await kept(two), await kept(three)]).toEqual([true, false, true]);
  const total = await db.cachedBlob.aggregate({ _sum: { size: true } });
  expect(total._sum.size).toBe(2000);
});

it("the files of a new recent message are kept before anyone views them, except those over the per-file limit", async () => {
  settings({ ...defaults, ATTACHMENT_CACHE_MAX_FILE_BYTES: "4000", ATTACHMENT_PREFETCH_HOURS: "72" });
  const before = await downloads();
  const { ids } = await inbound([
    { name: "1-photo.png", type: "image/png", bytes: fileOf(20, 2000) },
    { name: "2-video.mp4", type: "video/mp4", bytes: fileOf(21, 9000) },
  ]);
  expect(await kept(ids[0]!)).toBe(true);
  expect(await kept(ids[1]!)).toBe(false);
  // The big one was skipped on its declared size, without a download.
  expect(await downloads()).toBe(before + 1);
});

it("with the simulator stopped, kept attachments and pictures still open; others say Unipile could not be asked", async () => {
  settings(defaults);
  const png = fileOf(30, 1200);
  const { messageId, ids } = await inbound([
    { name: "1-seen.png", type: "image/png", bytes: png },
    { name: "2-unseen.png", type: "image/png", bytes: fileOf(31, 1200) },
  ]);
  await view(messageId, ids[0]!);
  const person = await db.attendee.findFirstOrThrow({ where: { pictureUrl: { not: null }, unipileId: { not: null }, isSelf: false } });
  const picture = async () => {
    const res = await openAvatar(await assertAttendeeAccess(admin, person.id), (id, o) => getUnipile().downloadPicture(id, o));
    return { type: res.headers.get("content-type"), bytes: new Uint8Array(await res.arrayBuffer()) };
  };
  const live = await picture();
  expect(live.type).toBe("image/png");

  await h.sim.close();
  expect((await view(messageId, ids[0]!)).bytes).toEqual(png);
  expect(await picture()).toEqual(live);
  await expect(view(messageId, ids[1]!)).rejects.toMatchObject({ code: "UPSTREAM" });
  // A new picture (another URL) is not the one we kept: it needs Unipile again.
  await db.attendee.update({ where: { id: person.id }, data: { pictureUrl: `${person.pictureUrl}&v=2` } });
  await expect(picture()).rejects.toMatchObject({ code: "UPSTREAM" });
});
