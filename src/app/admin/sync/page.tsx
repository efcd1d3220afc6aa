import { SyncAdmin } from "@/components/admin/sync-admin";
import { requireAdmin } from "@/server/session";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata = { title: "Sync · Admin · Parley" };

export default async function SyncPage() {
  await requireAdmin("/admin/sync");
  prefetch(trpc.sync.runs.queryOptions({ limit: 20 }));
  prefetch(trpc.sync.accounts.queryOptions());
  return (
    <HydrateClient>
      <SyncAdmin />
    </HydrateClient>
  );
}
