"use client";
// Notes and activity lines in the thread. Notes are yellow cards across the pane, never bubbles, so
// nobody mistakes one for a message the contact received. Text is rendered as text only.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { StickyNote, Trash2 } from "lucide-react";
import { Fragment } from "react";
import { toast } from "sonner";
import { activitySentence } from "@/lib/activity-text";
import { errorMessage } from "@/lib/error-message";
import { Time } from "@/lib/time";
import { useTRPC } from "@/trpc/react";
import { MessageText } from "./message-item";
import type { TimelineEntry } from "./thread-types";

type Note = Extract<TimelineEntry, { type: "note" }>;
type Activity = Extract<TimelineEntry, { type: "activity" }>;

/** The note's text with each "@Name" of a mentioned teammate marked. */
function NoteText({ text, mentions }: { text: string; mentions: Note["mentions"] }) {
  const names = [...new Set(mentions.map((m) => m.name))].sort((a, b) => b.length - a.length);
  if (names.length === 0) return <MessageText text={text} />;
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const parts = text.split(new RegExp(`(@(?:${escaped.join("|")}))`, "g"));
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: positional parts
          <strong key={i} className="font-semibold text-amber-800 dark:text-amber-200" data-testid="note-mention">
            {p}
          </strong>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: positional parts
          <Fragment key={i}>{p && <MessageText text={p} />}</Fragment>
        ),
      )}
    </>
  );
}

function NoteCard({ n, chatId, meId }: { n: Note; chatId: string; meId: string | null }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const remove = useMutation(
    trpc.note.delete.mutationOptions({
      onSuccess: () => void qc.invalidateQueries({ queryKey: trpc.message.list.infiniteQueryKey({ chatId }) }),
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  return (
    <li className="my-1.5 px-3 md:px-4" data-testid="note" data-note-id={n.id}>
      <article
        aria-label={`Note by ${n.author?.name ?? "Someone"}`}
        className="mx-auto max-w-2xl rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/60 dark:text-amber-50"
      >
        <header className="mb-1 flex flex-wrap items-center gap-x-1.5 text-xs text-amber-800 dark:text-amber-200">
          <StickyNote className="size-3.5 shrink-0" aria-hidden />
          <span className="font-semibold">{n.author?.name ?? "Someone"}</span>
          <span>· Note · only your team sees this</span>
          <span className="ml-auto flex items-center gap-1 whitespace-nowrap">
            <Time date={n.at} format="clock" />
            {n.editedAt && <span>(edited)</span>}
            {meId && n.author?.id === meId && (
              <button
                type="button"
                aria-label="Delete this note"
                disabled={remove.isPending}
                onClick={() => remove.mutate({ chatId, noteId: n.id })}
                className="rounded p-0.5 hover:bg-amber-200 dark:hover:bg-amber-900"
              >
                <Trash2 className="size-3.5" aria-hidden />
              </button>
            )}
          </span>
        </header>
        <p className="break-words whitespace-pre-wrap" dir="auto" data-testid="note-text">
          <NoteText text={n.text} mentions={n.mentions} />
        </p>
      </article>
    </li>
  );
}

function ActivityItem({ a }: { a: Activity }) {
  return (
    <li className="my-1 flex justify-center px-4 text-center text-xs text-muted-foreground" data-testid="activity-line">
      <span>
        {activitySentence(a)} · <Time date={a.at} format="clock" />
      </span>
    </li>
  );
}

export function TimelineItem({ e, chatId, meId }: { e: TimelineEntry; chatId: string; meId: string | null }) {
  return e.type === "note" ? <NoteCard n={e} chatId={chatId} meId={meId} /> : <ActivityItem a={e} />;
}
