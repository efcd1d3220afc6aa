import { ChatList } from "@/components/inbox/chat-list";
import { requireUser } from "@/server/session";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata = { title: "Inbox · Parley" };

export default async function InboxPage() {
  await requireUser(); // layouts and pages render in parallel: never prefetch for a visitor
  prefetch(trpc.chat.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (last) => last.nextCursor }));
  return (
    <HydrateClient>
      <main className="flex min-h-0 flex-1">
        <ChatList />
      </main>
    </HydrateClient>
  );
}
