"use client";
// One webhook event: its payload as received (shown as text, never as HTML), headers, outcome, and
// Replay for events that failed or still wait.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { RotateCcw } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Time } from "@/lib/time";
import { useTRPC } from "@/trpc/react";
import { errorMessage } from "@/lib/error-message";

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export function WebhookEventDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.webhook.get.queryOptions({ id }));
  const replay = useMutation(
    trpc.webhook.replay.mutationOptions({
      onSuccess: (r) => {
        if (r.status === "failed") toast.error(`Replay failed. ${errorMessage(r.error)}`);
        else toast.success(`Replayed: ${r.status}`);
        return Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.webhook.pathKey() }),
        ]);
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );

  if (detail.isPending) return <p className="p-3 text-sm text-muted-foreground">Loading…</p>;
  if (detail.isError) return <p className="p-3 text-sm text-destructive">{errorMessage(detail.error)}</p>;
  const e = detail.data;
  const canReplay = e.status === "failed" || e.status === "deferred";
  return (
    <div className="flex flex-col gap-3 rounded-md border bg-muted/30 p-3" data-testid={`webhook-detail-${id}`}>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-xs">
        <dt className="text-muted-foreground">Received</dt>
        <dd>
          <Time date={e.receivedAt} format="stamp" />
        </dd>
        <dt className="text-muted-foreground">Outcome</dt>
        <dd>
          {e.status}
          {e.appliedAt && (
            <>
              {" at "}
              <Time date={e.appliedAt} format="stamp" />
            </>
          )}{" "}
          · {e.attempts} {e.attempts === 1 ? "try" : "tries"}
          {e.nextAttemptAt && e.status !== "received" && (
            <>
              {" · next try "}
              <Time date={e.nextAttemptAt} format="seconds" />
            </>
          )}
        </dd>
        {e.error && (
          <>
            <dt className="text-muted-foreground">{e.status === "failed" || e.status === "rejected" ? "Error" : "Note"}</dt>
            <dd className={e.status === "failed" || e.status === "rejected" ? "text-destructive" : undefined}>{e.error}</dd>
          </>
        )}
        {e.dedupeKey && (
          <>
            <dt className="text-muted-foreground">Dedupe key</dt>
            <dd className="font-mono break-all">{e.dedupeKey}</dd>
          </>
        )}
        <dt className="text-muted-foreground">Headers</dt>
        <dd className="font-mono break-all">{JSON.stringify(e.headers)}</dd>
      </dl>
      <figure aria-label="Payload">
        <pre className="max-h-96 overflow-auto rounded bg-background p-3 text-xs">{pretty(e.body)}</pre>
      </figure>
      {canReplay && (
        <div>
          <Button size="sm" onClick={() => replay.mutate({ id })} disabled={replay.isPending}>
            <RotateCcw /> {replay.isPending ? "Replaying…" : "Replay"}
          </Button>
        </div>
      )}
    </div>
  );
}
