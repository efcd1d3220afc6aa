import { UserAdmin } from "@/components/admin/user-admin";
import { requireAdmin } from "@/server/session";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata = { title: "Admin · Parley" };

export default async function AdminPage() {
  await requireAdmin();
  await Promise.all([prefetch(trpc.user.list.queryOptions()), prefetch(trpc.account.list.queryOptions())]);
  return (
    <HydrateClient>
      <UserAdmin />
    </HydrateClient>
  );
}
