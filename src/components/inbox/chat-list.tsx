"use client";
import { useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { Inbox } from "lucide-react";
import { useTRPC } from "@/trpc/react";

export function ChatList() {
  const trpc = useTRPC();
  const { data } = useSuspenseInfiniteQuery(
    trpc.chat.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (last) => last.nextCursor }),
  );
  const chats = data.pages.flatMap((p) => p.items);
  if (chats.length === 0) {
    return (
      <div className="m-auto flex flex-col items-center gap-2 text-center text-muted-foreground" data-testid="inbox-empty">
        <Inbox className="size-10" aria-hidden />
        <p className="font-medium text-foreground">No conversations yet</p>
        <p className="max-w-xs text-sm">Chats appear here as soon as your connected accounts sync or receive a message.</p>
      </div>
    );
  }
  return (
    <ul aria-label="Chats" className="w-full max-w-md overflow-y-auto border-r">
      {chats.map((chat) => (
        <li key={chat.id} className="border-b px-4 py-3">
          <div className="flex items-baseline justify-between gap-2">
            <span className="truncate font-medium">{chat.name ?? "Unnamed chat"}</span>
            {chat.unreadCount > 0 && (
              <span className="rounded-full bg-primary px-2 text-xs text-primary-foreground">{chat.unreadCount}</span>
            )}
          </div>
          <p className="truncate text-sm text-muted-foreground">{chat.lastMessagePreview}</p>
        </li>
      ))}
    </ul>
  );
}
