"use client";
// Put labels on (or take them off) one chat or the selected chats: a dialog with a filter box and a
// checkbox per label. Opened from the thread header, the `l` key and the bulk bar.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Dialog } from "radix-ui";
import { useState } from "react";
import { showError } from "@/components/inbox/thread-errors";
import { errorMessage } from "@/lib/error-message";
import { labelColorClass } from "@/lib/label-colors";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import { DialogCloseX } from "@/components/ui/dialog-close";

export function LabelPicker({
  chatIds,
  current,
  open,
  onOpenChange,
}: {
  chatIds: string[];
  /** Labels every one of the chats already has (checked boxes). */
  current: string[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  // Fetched again each time it opens: a label a teammate just made is there to pick.
  const labels = useQuery(trpc.label.list.queryOptions(undefined, { enabled: open, staleTime: 0 }));
  const [filter, setFilter] = useState("");
  const [on, setOn] = useState<Set<string> | null>(null);
  const checked = on ?? new Set(current);
  const set = useMutation(
    trpc.label.setMany.mutationOptions({
      onError: (err) => showError(errorMessage(err)),
      // The list rows and the header read labels from chat.list / chat.get.
      onSettled: () =>
        Promise.all([
          qc.invalidateQueries({ queryKey: trpc.chat.list.pathKey() }),
          qc.invalidateQueries({ queryKey: trpc.chat.get.pathKey() }),
        ]),
    }),
  );
  const shown = (labels.data ?? []).filter((l) => l.name.toLowerCase().includes(filter.trim().toLowerCase()));

  const toggle = (labelId: string) => {
    const next = new Set(checked);
    const add = !next.has(labelId);
    if (add) next.add(labelId);
    else next.delete(labelId);
    setOn(next);
    set.mutate({ chatIds, labelId, on: add }, { onError: () => setOn(null) });
  };

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(v) => {
        if (!v) {
          setFilter("");
          setOn(null);
        }
        onOpenChange(v);
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 flex max-h-[80dvh] w-[min(22rem,92vw)] -translate-x-1/2 -translate-y-1/2 flex-col rounded-xl border bg-popover p-4 text-popover-foreground shadow-lg">
          <Dialog.Title className="mb-1 font-semibold">
            {chatIds.length > 1 ? `Label ${chatIds.length} chats` : "Labels"}
          </Dialog.Title>
          <Dialog.Description className="mb-3 text-xs text-muted-foreground">
            Labels are Parley's own: your teammates see them, the person does not.
          </Dialog.Description>
          <label htmlFor="label-filter" className="sr-only">
            Filter labels
          </label>
          <input
            id="label-filter"
            className="mb-2 h-8 rounded-md border border-input bg-background px-2 text-sm"
            placeholder="Filter labels"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && shown[0]) {
                e.preventDefault();
                toggle(shown[0].id);
              }
            }}
          />
          <ul className="min-h-0 flex-1 overflow-y-auto" aria-label="Labels">
            {shown.map((l) => (
              <li key={l.id}>
                <label className="flex cursor-pointer items-center gap-2 rounded px-1.5 py-1.5 text-sm hover:bg-accent">
                  <input type="checkbox" className="size-4" checked={checked.has(l.id)} onChange={() => toggle(l.id)} />
                  <span className={cn("size-3 rounded-full ring-1 ring-inset", labelColorClass(l.color))} aria-hidden />
                  <span className="truncate" dir="auto">
                    {l.name}
                  </span>
                </label>
              </li>
            ))}
          </ul>
          {labels.isSuccess && shown.length === 0 && (
            <p className="py-2 text-sm text-muted-foreground">
              {labels.data.length === 0 ? "No labels yet. " : "No label matches. "}
              <Link href="/labels" className="underline">
                Manage labels
              </Link>
            </p>
          )}
          <DialogCloseX />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
