import { ChatListSkeleton } from "@/components/inbox/chat-list";

export default function Loading() {
  return (
    <main className="flex min-h-0 flex-1">
      <div className="flex w-full flex-col border-r md:w-96">
        <div className="m-3 h-9 animate-pulse rounded-md bg-muted" />
        <ChatListSkeleton />
      </div>
    </main>
  );
}
