"use client";
// The thread's message actions, optimistic: the change shows at once in the cached pages, the
// server (which asks Unipile) confirms it, and a refusal or fault puts the pages back as they were
// and says why. The server records an accepted change before answering, and the echo webhook finds
// it already there, so the refetch that follows shows the same state.
import { type InfiniteData, useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/trpc/react";
import { withOwnReaction } from "./own-reaction";
import { showError } from "./thread-errors";
import type { ThreadMessage } from "./thread-types";

type Page = { items: ThreadMessage[]; older: unknown; newer: unknown };
export function useMessageActions({ chatId, refresh }: { chatId: string; refresh: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const filter = { queryKey: trpc.message.list.infiniteQueryKey({ chatId }) };

  /** Applies `change` to the message in every cached page; returns how to undo it. */
  async function optimistic(messageId: string, change: (m: ThreadMessage) => ThreadMessage) {
    await qc.cancelQueries(filter);
    const before = qc.getQueriesData<InfiniteData<Page>>(filter);
    qc.setQueriesData<InfiniteData<Page>>(filter, (data) =>
      data
        ? { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.map((m) => (m.id === messageId ? change(m) : m)) })) }
        : data,
    );
    return () => {
      for (const [key, data] of before) qc.setQueryData(key, data);
    };
  }

  const failed = (undo: (() => void) | undefined, err: unknown) => {
    undo?.();
    showError(errorMessage(err));
  };

  const react = useMutation(
    trpc.message.react.mutationOptions({
      onMutate: (v) =>
        optimistic(v.messageId, (m) => ({
          ...m,
          reactions: withOwnReaction(m.reactions, v.value),
        })),
      onError: (err, _v, undo) => failed(undo, err),
      onSettled: refresh,
    }),
  );
  const edit = useMutation(
    trpc.message.edit.mutationOptions({
      onMutate: (v) =>
        optimistic(v.messageId, (m) => ({ ...m, text: v.text.trim(), edited: true, originalText: m.originalText ?? m.text })),
      onError: (err, _v, undo) => failed(undo, err),
      onSettled: refresh,
    }),
  );
  const remove = useMutation(
    trpc.message.delete.mutationOptions({
      onMutate: (v) => optimistic(v.messageId, (m) => ({ ...m, deleted: true, text: null, originalText: null, reactions: [] })),
      onError: (err, _v, undo) => failed(undo, err),
      onSettled: refresh,
    }),
  );
  const forward = useMutation(trpc.message.forward.mutationOptions({ onError: (err) => showError(errorMessage(err)) }));

  return {
    react: (m: ThreadMessage, value: string | null) => react.mutate({ chatId, messageId: m.id, value }),
    edit: (m: ThreadMessage, text: string) => edit.mutate({ chatId, messageId: m.id, text }),
    remove: (m: ThreadMessage) => remove.mutate({ chatId, messageId: m.id }),
    /** Resolves true once Unipile took the forward (the dialog closes then). */
    forward: async (m: ThreadMessage, to: { id: string; name: string }) => {
      try {
        await forward.mutateAsync({ chatId, messageId: m.id, toChatId: to.id });
        toast.success(`Forwarded to ${to.name}`);
        return true;
      } catch {
        return false;
      }
    },
    forwarding: forward.isPending,
  };
}
export type MessageActions = ReturnType<typeof useMessageActions>;
