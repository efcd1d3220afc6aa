// The thread's rows in reading order: messages as the server paged them, with each page's notes and
// activity lines placed by time (an entry at the same instant as a message goes after it). Messages
// still on their way (local-…) stay at the end, where the reader expects what they just sent.
import type { ThreadMessage, TimelineEntry } from "./thread-types";

export type ThreadRow =
  | { kind: "message"; key: string; at: Date; m: ThreadMessage }
  | { kind: "entry"; key: string; at: Date; e: TimelineEntry };

const messageKey = (m: ThreadMessage) => (m.clientTxnId ? `txn-${m.clientTxnId}` : m.id);

export function threadRows(messages: ThreadMessage[], entries: TimelineEntry[]): ThreadRow[] {
  const sorted = [...entries].sort((a, b) => a.at.getTime() - b.at.getTime());
  const rows: ThreadRow[] = [];
  let i = 0;
  for (const m of messages) {
    const local = m.id.startsWith("local-");
    while (!local && i < sorted.length && sorted[i]!.at.getTime() < m.sentAt.getTime()) {
      const e = sorted[i++]!;
      rows.push({ kind: "entry", key: `${e.type}-${e.id}`, at: e.at, e });
    }
    if (local) {
      while (i < sorted.length) {
        const e = sorted[i++]!;
        rows.push({ kind: "entry", key: `${e.type}-${e.id}`, at: e.at, e });
      }
    }
    rows.push({ kind: "message", key: messageKey(m), at: m.sentAt, m });
  }
  for (; i < sorted.length; i++) {
    const e = sorted[i]!;
    rows.push({ kind: "entry", key: `${e.type}-${e.id}`, at: e.at, e });
  }
  return rows;
}
