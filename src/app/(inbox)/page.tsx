import { Suspense } from "react";
import { DraftOwnerProvider } from "@/components/inbox/drafts";
import { InboxView } from "@/components/inbox/inbox";
import { chatListInput, parseInboxParams } from "@/components/inbox/inbox-params";
import { uploadLimits } from "@/server/services/send-service";
import { requireUser } from "@/server/session";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata = { title: "Inbox · Parley" };

export default async function InboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser(); // layouts and pages render in parallel: never prefetch for a visitor
  const params = parseInboxParams(await searchParams);
  // Awaited: the list renders with its data on the server and in the browser alike (see prefetch).
  await Promise.all([
    prefetch(trpc.chat.list.infiniteQueryOptions(chatListInput(params), { getNextPageParam: (last) => last.nextCursor ?? undefined })),
    prefetch(trpc.account.list.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <Suspense>
        <DraftOwnerProvider userId={user.id}>
          <InboxView uploadLimits={uploadLimits()} />
        </DraftOwnerProvider>
      </Suspense>
    </HydrateClient>
  );
}
