import { AuditLog } from "@/components/admin/audit-log";
import { requireAdmin } from "@/server/session";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata = { title: "Audit · Admin · Parley" };

export default async function AuditPage() {
  await requireAdmin("/admin/audit");
  prefetch(trpc.security.audit.infiniteQueryOptions({}, { getNextPageParam: (last) => last.nextCursor }));
  return (
    <HydrateClient>
      <AuditLog />
    </HydrateClient>
  );
}
