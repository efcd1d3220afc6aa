"use client";
// Team actions on one chat or several (assign, done, reopen, snooze) as the thread header, the bulk
// bar and the keyboard call them. The server checks every chat; a refusal shows its sentence and
// changes nothing. The lists and the open chat refresh at once here and again from realtime.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/trpc/react";
import { showError } from "./thread-errors";

export type SnoozeChoice = { until: Date | null; untilReply: boolean };

const plural = (n: number) => (n === 1 ? "the chat" : `${n} chats`);

export function useTeamActions() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const me = useQuery(trpc.user.me.queryOptions());
  const settle = useCallback(() => {
    void qc.invalidateQueries({ queryKey: trpc.chat.list.pathKey() });
    void qc.invalidateQueries({ queryKey: trpc.chat.get.pathKey() });
  }, [qc, trpc]);
  const callbacks = { onError: (err: unknown) => showError(errorMessage(err)), onSettled: settle };
  const assign = useMutation(trpc.team.assign.mutationOptions(callbacks));
  const done = useMutation(trpc.team.done.mutationOptions(callbacks));
  const reopen = useMutation(trpc.team.reopen.mutationOptions(callbacks));
  const snooze = useMutation(trpc.team.snooze.mutationOptions(callbacks));

  // Failures were shown by onError; the caller's promise only says when it is over.
  const run = (p: Promise<unknown>, success: string) =>
    p.then(
      () => void toast.success(success),
      () => undefined,
    );

  return {
    meId: me.data?.id ?? null,
    busy: assign.isPending || done.isPending || reopen.isPending || snooze.isPending,
    assign: (chatIds: string[], assigneeId: string | null) =>
      run(
        assign.mutateAsync({ chatIds, assigneeId }),
        assigneeId ? `Assigned ${plural(chatIds.length)}` : `Unassigned ${plural(chatIds.length)}`,
      ),
    assignToMe: (chatIds: string[]) =>
      me.data
        ? run(assign.mutateAsync({ chatIds, assigneeId: me.data.id }), `Assigned ${plural(chatIds.length)} to you`)
        : Promise.resolve(),
    done: (chatIds: string[]) => run(done.mutateAsync({ chatIds }), `Marked ${plural(chatIds.length)} done`),
    reopen: (chatIds: string[]) => run(reopen.mutateAsync({ chatIds }), `Reopened ${plural(chatIds.length)}`),
    snooze: (chatIds: string[], s: SnoozeChoice) =>
      run(snooze.mutateAsync({ chatIds, ...s }), `Snoozed ${plural(chatIds.length)}`),
  };
}

export type TeamActions = ReturnType<typeof useTeamActions>;
