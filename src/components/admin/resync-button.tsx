"use client";
import { RefreshCw } from "lucide-react";
import { useTransition } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/lib/error-message";
import { resyncAction } from "@/server/actions/sync";
import { Button } from "@/components/ui/button";

type ResyncTarget = { scope: "all" } | { scope: "account"; accountId: string } | { scope: "chat"; chatId: string };

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
          if (!r.ok) toast.error(errorMessage(r));
          else toast.success(r.data.alreadyRunning ? "A resync is already under way" : "Resync started");
          onQueued?.();
        })
      }
    >
      <RefreshCw className={pending ? "animate-spin" : undefined} aria-hidden />
      {size === "default" ? label : "Resync"}
    </Button>
  );
}
