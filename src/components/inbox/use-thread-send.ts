"use client";
// Optimistic sends: a local bubble at once, the server action behind it, the local copy dropped once
// the stored row (same clientTxnId) arrives; failures are retried from the stored row.
import { useEffect, useState } from "react";
import { retryMessageAction, sendMessageAction } from "@/server/actions/inbox";
import type { Draft } from "./composer";
import { errorMessage } from "@/lib/error-message";
import { showError } from "./thread-errors";
import type { ReplyTarget, ThreadMessage } from "./thread-types";

type LocalSend = ThreadMessage & { clientTxnId: string };

function newTxnId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function localMessage(clientTxnId: string, draft: Draft, quote: ReplyTarget | null): LocalSend {
  return {
    id: `local-${clientTxnId}`,
    clientTxnId,
    text: draft.text.trim() || null,
    originalText: null,
    edited: false,
    deleted: false,
    sentAt: new Date(),
    isSender: true,
    status: "pending",
    statusError: null,
    isEvent: false,
    eventType: null,
    senderName: "You",
    senderKey: "me",
    senderAvatarUrl: null,
    quoted: quote ? { text: quote.text, senderName: quote.senderName } : null,
    reactions: [],
    attachments: [],
    localFiles: draft.files.map((f) => f.name),
  };
}

export function useThreadSend({
  chatId,
  server,
  atLatest,
  refresh,
  onRestore,
}: {
  chatId: string;
  /** The stored messages on screen, oldest first. */
  server: ThreadMessage[];
  /** Local sends show only when the newest page is loaded (they belong at its end). */
  atLatest: boolean;
  refresh: () => void;
  /** Nothing was stored: give the text back to the composer. */
  onRestore: (text: string) => void;
}) {
  const [outbox, setOutbox] = useState<LocalSend[]>([]);
  const confirmed = new Set(server.map((m) => m.clientTxnId).filter(Boolean));
  const pending = atLatest ? outbox.filter((o) => !confirmed.has(o.clientTxnId)) : [];

  // Forget local sends once the server rows carry them.
  const confirmedCount = outbox.filter((o) => confirmed.has(o.clientTxnId)).length;
  useEffect(() => {
    if (confirmedCount > 0) setOutbox((list) => list.filter((o) => !confirmed.has(o.clientTxnId)));
  });

  async function send(draft: Draft, quote: ReplyTarget | null) {
    const clientTxnId = newTxnId();
    setOutbox((o) => [...o, localMessage(clientTxnId, draft, quote)]);
    const form = new FormData();
    form.set("chatId", chatId);
    form.set("clientTxnId", clientTxnId);
    form.set("text", draft.text);
    if (quote) form.set("quoteId", quote.id);
    for (const f of draft.files) form.append("files", f);
    let res: Awaited<ReturnType<typeof sendMessageAction>>;
    try {
      res = await sendMessageAction(form);
    } catch {
      res = { ok: false, code: "INTERNAL", error: "Could not reach Parley. Check your connection and send again." };
    }
    if (!res.ok) {
      setOutbox((o) => o.filter((x) => x.clientTxnId !== clientTxnId));
      showError(errorMessage(res));
      onRestore(draft.text);
    } else if (res.data.status === "failed") {
      showError(`Not sent. ${errorMessage(res.data.statusError, "Unipile refused the message.")}`, "Use Retry on the message.");
    }
    refresh();
  }

  async function retry(messageId: string) {
    const res = await retryMessageAction(messageId);
    if (!res.ok) showError(errorMessage(res));
    else if (res.data.status === "failed") showError(`Still not sent. ${errorMessage(res.data.statusError, "Unipile refused the message.")}`);
    refresh();
  }

  return { pending, send, retry };
}
