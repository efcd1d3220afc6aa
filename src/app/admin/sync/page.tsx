import { SyncAdmin } from "@/components/admin/sync-admin";
import { syncRunsInput } from "@/components/admin/sync-runs-input";
import { requireAdmin } from "@/server/session";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata = { title: "Sync · Admin · Parley" };

export default async function SyncPage() {
  await requireAdmin("/admin/sync");
  // The same input the page queries with (automatic syncs hidden), so the client uses this prefetch.
  await Promise.all([prefetch(trpc.sync.runs.queryOptions(syncRunsInput(false))), prefetch(trpc.sync.accounts.queryOptions())]);
  return (
    <HydrateClient>
      <SyncAdmin />
    </HydrateClient>
  );
}
