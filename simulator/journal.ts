// Keeps the simulator's world across restarts (the embedded demo): the options and base time it was
// seeded with, plus every change as one JSON line, replayed in order on the next start. Uploaded
// files are kept beside it by content hash. A journal of another format version, or seeded with
// other options, is discarded and the world starts fresh.
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ChatStateOp } from "./chat-actions.ts";
import type { SourceStatus } from "./data.ts";
import type { SimWebhook } from "./webhooks.ts";

/** Bump when a change would replay old journals into a different world. */
export const JOURNAL_VERSION = 1;

export type WorldMeta = { version: number; seed: number; demo: boolean; chats?: number; messages?: number; baseTime: number };

/** An attachment given to an operation: one of the built-in assets, or uploaded bytes. */
export type FileInput = { asset: "photo" | "sticker" | "topo" | "notes" } | { name: string; mimetype: string; bytes: Uint8Array };

/** Every change to the world, in a form that replays to the same result. */
export type Op =
  | { op: "inbound"; chat_id?: string; account_id?: string; text?: string | null; attachments: FileInput[]; sender_name?: string; sender_provider_id?: string; quote_id?: string }
  | { op: "send"; chat_id: string; text: string | null; attachments: FileInput[]; quote_id?: string }
  | { op: "start"; account_id: string; attendees_ids: string[]; text: string | null; subject: string | null; attachments: FileInput[]; inmail?: boolean }
  | { op: "readStatus"; chat_id: string; value: boolean }
  | ChatStateOp
  | { op: "reaction"; message_id: string; from_me: boolean; sender_provider_id?: string; value: string }
  | { op: "edit"; message_id: string; text: string }
  | { op: "delete"; message_id: string }
  /** Our copy of message_id in chat_id (POST /messages/{id}/forward). */
  | { op: "forward"; message_id: string; chat_id: string }
  | { op: "read"; message_id: string }
  | { op: "delivered"; message_id: string }
  | { op: "accountStatus"; account_id: string; status: SourceStatus; message?: string; product?: string }
  | { op: "hookCreate"; hook: Omit<SimWebhook, "id"> }
  /** A registration kept through a reset: it draws no new id. */
  | { op: "hookRestore"; hook: SimWebhook }
  | { op: "hookDelete"; id: string };

/** One change and the wall-clock readings it made, so its times replay exactly. */
export type Entry = { op: Op; clock: number[] };

type StoredFile = { name: string; mimetype: string; sha256: string };

export class Journal {
  private file: string;
  private metaFile: string;
  private filesDir: string;

  constructor(readonly dir: string) {
    this.file = path.join(dir, "journal.ndjson");
    this.metaFile = path.join(dir, "world.json");
    this.filesDir = path.join(dir, "files");
  }

  /** The stored world, when it was made with these options by this format version. */
  load(want: Omit<WorldMeta, "version" | "baseTime">): { meta: WorldMeta; entries: Entry[] } | undefined {
    if (!existsSync(this.metaFile)) return undefined;
    try {
      const meta = JSON.parse(readFileSync(this.metaFile, "utf8")) as WorldMeta;
      const same = meta.version === JOURNAL_VERSION && meta.seed === want.seed && meta.demo === want.demo && meta.chats === want.chats && meta.messages === want.messages;
      if (!same || typeof meta.baseTime !== "number") return undefined;
      const lines = existsSync(this.file) ? readFileSync(this.file, "utf8").split("\n").filter(Boolean) : [];
      return { meta, entries: lines.map((l) => this.decode(JSON.parse(l) as Entry)) };
    } catch {
      return undefined;
    }
  }

  /** Starts an empty journal for a world seeded with `meta` (dropping any other). */
  begin(meta: WorldMeta) {
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.filesDir, { recursive: true });
    writeFileSync(this.metaFile, JSON.stringify(meta));
    writeFileSync(this.file, "");
  }

  append(entry: Entry) {
    appendFileSync(this.file, `${JSON.stringify(this.encode(entry))}\n`);
  }

  private encode(entry: Entry): Entry {
    if (!("attachments" in entry.op)) return entry;
    const attachments = entry.op.attachments.map((a) => {
      if (!("bytes" in a)) return a;
      const sha256 = createHash("sha256").update(a.bytes).digest("hex");
      const target = path.join(this.filesDir, sha256);
      if (!existsSync(target)) writeFileSync(target, a.bytes);
      return { name: a.name, mimetype: a.mimetype, sha256 } satisfies StoredFile;
    });
    return { ...entry, op: { ...entry.op, attachments } as unknown as Op };
  }

  private decode(entry: Entry): Entry {
    if (!("attachments" in entry.op)) return entry;
    const attachments = (entry.op.attachments as (FileInput | StoredFile)[]).map((a) =>
      "sha256" in a ? { name: a.name, mimetype: a.mimetype, bytes: new Uint8Array(readFileSync(path.join(this.filesDir, a.sha256))) } : a,
    );
    return { ...entry, op: { ...entry.op, attachments } as Op };
  }
}
