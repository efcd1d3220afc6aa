import { SavedReplies } from "@/components/saved-replies/saved-replies";
import { requireUser } from "@/server/session";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata = { title: "Saved replies · Parley" };

export default async function SavedRepliesPage() {
  const user = await requireUser();
  await prefetch(trpc.savedReply.list.queryOptions());
  return (
    <HydrateClient>
      <main id="content" tabIndex={-1} className="mx-auto w-full max-w-3xl flex-1 overflow-y-auto p-4 outline-none">
        <SavedReplies isAdmin={user.role === "admin"} />
      </main>
    </HydrateClient>
  );
}
