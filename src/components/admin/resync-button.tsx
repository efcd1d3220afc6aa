"use client";
import { RefreshCw } from "lucide-react";
import { useTransition } from "react";
import { toast } from "sonner";
import { resyncAction } from "@/app/admin/sync/actions";
import { Button } from "@/components/ui/button";

export type ResyncTarget = { scope: "all" } | { scope: "account"; accountId: string } | { scope: "chat"; chatId: string };

/** A Resync button: calls the server action, toasts the outcome, refreshes the runs. */
export function ResyncButton({
  target,
  label,
  size = "sm",
  onQueued,
}: {
  target: ResyncTarget;
  label: string;
  size?: "sm" | "default";
  onQueued?: () => void;
}) {
  const [pending, start] = useTransition();
  return (
    <Button
      size={size}
      variant="outline"
      disabled={pending}
      aria-label={label}
      onClick={() =>
        start(async () => {
          const r = await resyncAction(target);
          if (!r.ok) toast.error(r.error);
          else toast.success(r.alreadyRunning ? "A resync is already under way" : "Resync started");
          onQueued?.();
        })
      }
    >
      <RefreshCw className={pending ? "animate-spin" : undefined} aria-hidden />
      {size === "default" ? label : "Resync"}
    </Button>
  );
}
