"use client";
// "@ Mentions" in the app header: the notes where a teammate mentioned you, newest first, with an
// unread badge. Opening one marks it read; the inbox's live stream refreshes the list (note.mentioned).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AtSign } from "lucide-react";
import Link from "next/link";
import { Popover } from "radix-ui";
import { Button } from "@/components/ui/button";
import { Time } from "@/lib/time";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";

export function MentionsMenu() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  // Outside the inbox there is no live stream: ask again now and then.
  const mentions = useQuery(trpc.note.mentions.queryOptions(undefined, { refetchInterval: 60_000 }));
  const markRead = useMutation(
    trpc.note.markMentionsRead.mutationOptions({
      onSettled: () => void qc.invalidateQueries({ queryKey: trpc.note.mentions.pathKey() }),
    }),
  );
  const unread = mentions.data?.unread ?? 0;
  const items = mentions.data?.items ?? [];
  return (
    <Popover.Root>
      <Popover.Trigger asChild>
        <Button
          variant="ghost"
          size="sm"
          aria-label={unread ? `Mentions, ${unread} unread` : "Mentions"}
          data-testid="mentions-button"
          className="relative"
        >
          <AtSign aria-hidden />
          <span className="hidden sm:inline">Mentions</span>
          {unread > 0 && (
            <span
              className="absolute -top-0.5 -right-0.5 min-w-4 rounded-full bg-destructive px-1 text-center text-[10px] leading-4 font-semibold text-white dark:text-black"
              data-testid="mentions-badge"
              aria-hidden
            >
              {unread > 99 ? "99+" : unread}
            </span>
          )}
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={6}
          className="z-50 w-[min(24rem,94vw)] rounded-lg border bg-popover text-popover-foreground shadow-lg"
        >
          <div className="flex items-center border-b px-3 py-2">
            <h2 className="text-sm font-semibold">Mentions</h2>
            {unread > 0 && (
              <button
                type="button"
                className="ml-auto text-xs underline-offset-2 hover:underline"
                onClick={() => markRead.mutate({ noteIds: null })}
              >
                Mark all read
              </button>
            )}
          </div>
          {mentions.isError ? (
            <p role="alert" className="p-3 text-sm text-destructive">
              Could not load your mentions.
            </p>
          ) : items.length === 0 ? (
            <p className="p-3 text-sm text-muted-foreground">Nobody has mentioned you in a note yet.</p>
          ) : (
            <ul className="max-h-96 overflow-y-auto" aria-label="Mentions">
              {items.map((m) => (
                <li key={m.noteId} data-testid="mention-item">
                  <Popover.Close asChild>
                    <Link
                      href={`/?chat=${encodeURIComponent(m.chatId)}`}
                      onClick={() => !m.read && markRead.mutate({ noteIds: [m.noteId] })}
                      className={cn(
                        "block border-b px-3 py-2 text-sm last:border-b-0 hover:bg-accent",
                        !m.read && "bg-amber-50 dark:bg-amber-950/50",
                      )}
                    >
                      <span className="flex items-center gap-1 text-xs text-muted-foreground">
                        <span className="font-medium text-foreground">{m.authorName}</span> in{" "}
                        <span className="truncate">{m.chatName}</span>
                        <Time date={m.at} format="ago" className="ml-auto shrink-0" />
                        {!m.read && <span className="sr-only">(unread)</span>}
                      </span>
                      <span className="line-clamp-2 break-words" dir="auto">
                        {m.text}
                      </span>
                    </Link>
                  </Popover.Close>
                </li>
              ))}
            </ul>
          )}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
