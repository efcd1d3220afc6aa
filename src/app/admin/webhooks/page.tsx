import { WebhookLog } from "@/components/admin/webhook-log";
import { requireAdmin } from "@/server/session";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata = { title: "Webhooks · Admin · Parley" };

export default async function WebhooksPage() {
  await requireAdmin("/admin/webhooks");
  await Promise.all([
    prefetch(trpc.webhook.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (last) => last.nextCursor })),
    prefetch(trpc.webhook.counts.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <WebhookLog />
    </HydrateClient>
  );
}
