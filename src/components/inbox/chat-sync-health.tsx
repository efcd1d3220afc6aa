"use client";
// The chat header's sync line: when the chat was last synced, up to when every message is stored
// ("complete through", Unipile's activity time), its last sync error, and for admins "Resync this
// chat" (a full re-walk of its history in the background).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, RefreshCw } from "lucide-react";
import { useTransition } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/lib/error-message";
import { Time } from "@/lib/time";
import { resyncAction } from "@/server/actions/sync";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/react";

function ago(d: Date | string | null): string {
  if (!d) return "not synced yet";
  const ms = Date.now() - new Date(d).getTime();
  if (ms < 45_000) return "synced just now";
  const min = Math.round(ms / 60_000);
  if (min < 60) return `synced ${min} min ago`;
  const h = Math.round(min / 60);
  return h < 48 ? `synced ${h} h ago` : `synced ${new Date(d).toLocaleDateString()}`;
}

export function ChatSyncHealth({ chatId }: { chatId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [pending, start] = useTransition();
  const { data } = useQuery({
    ...trpc.sync.chatHealth.queryOptions({ chatId }),
    // While a resync of this chat runs, follow it; the chat's own realtime stream refreshes messages.
    refetchInterval: (q) => (q.state.data?.syncing ? 2000 : false),
  });
  if (!data) return null;
  const failing = data.syncErrorCount > 0;
  return (
    <div className="flex items-center gap-2 text-xs text-muted-foreground" data-testid="chat-sync-health">
      {failing ? (
        <span className="flex items-center gap-1 text-destructive" title={data.syncLastError ?? undefined}>
          <AlertTriangle className="size-3.5" aria-hidden />
          Sync failing ({data.syncErrorCount}×)
        </span>
      ) : (
        <span>{data.syncing ? "syncing…" : ago(data.lastSyncedAt)}</span>
      )}
      {data.completeThrough && (
        <span data-testid="complete-through">
          · complete through <Time date={data.completeThrough} format="stamp" />
        </span>
      )}
      {data.canResync && (
        <Button
          size="sm"
          variant="ghost"
          className="h-7 px-2 text-xs"
          disabled={pending || data.syncing}
          onClick={() =>
            start(async () => {
              const r = await resyncAction({ scope: "chat", chatId });
              if (!r.ok) toast.error(errorMessage(r));
              else toast.success(r.data.alreadyRunning ? "This chat is already being resynced" : "Resyncing this chat");
              await qc.invalidateQueries({ queryKey: trpc.sync.chatHealth.queryKey({ chatId }) });
            })
          }
        >
          <RefreshCw className={pending || data.syncing ? "animate-spin" : undefined} aria-hidden />
          Resync this chat
        </Button>
      )}
    </div>
  );
}
