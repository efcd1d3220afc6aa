"use client";
// The labels page: everyone sees the set; admins create, rename, recolour and delete.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { errorMessage } from "@/lib/error-message";
import { LABEL_COLORS, type LabelColor } from "@/lib/label-colors";
import { useTRPC } from "@/trpc/react";
import { LabelChip } from "./label-chips";

const selectClass = "h-9 rounded-md border border-input bg-background px-2 text-sm";

function ColorSelect({
  id,
  value,
  onChange,
  label,
}: {
  id: string;
  value: string;
  onChange: (c: LabelColor) => void;
  label: string;
}) {
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <select id={id} className={selectClass} value={value} onChange={(e) => onChange(e.target.value as LabelColor)}>
        {LABEL_COLORS.map((c) => (
          <option key={c} value={c}>
            {c[0]!.toUpperCase() + c.slice(1)}
          </option>
        ))}
      </select>
    </>
  );
}

export function LabelAdmin({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const labels = useQuery(trpc.label.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.label.list.queryKey() });
  const onError = (err: unknown) => toast.error(errorMessage(err));
  const create = useMutation(trpc.label.create.mutationOptions({ onSuccess: refresh, onError }));
  const update = useMutation(trpc.label.update.mutationOptions({ onSuccess: refresh, onError }));
  const remove = useMutation(trpc.label.delete.mutationOptions({ onSuccess: refresh, onError }));
  const [name, setName] = useState("");
  const [color, setColor] = useState<LabelColor>("blue");

  return (
    <main id="content" tabIndex={-1} className="mx-auto w-full max-w-2xl flex-1 overflow-y-auto p-4 outline-none">
      <h1 className="mb-1 text-xl font-semibold">Labels</h1>
      <p className="mb-4 text-sm text-muted-foreground">
        Labels sort chats for the team and are never sent to the person.{" "}
        {isAdmin
          ? "Anyone with access to a chat can put them on it."
          : "Admins manage the set; you put them on chats (l in the inbox)."}
      </p>
      {isAdmin && (
        <form
          className="mb-6 flex flex-wrap items-end gap-2 rounded-xl border p-3"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name, color }, { onSuccess: () => setName("") });
          }}
        >
          <div className="flex min-w-40 flex-1 flex-col gap-1">
            <label htmlFor="new-label-name" className="text-sm font-medium">
              New label
            </label>
            <Input
              id="new-label-name"
              value={name}
              maxLength={40}
              onChange={(e) => setName(e.target.value)}
              placeholder="e.g. VIP"
            />
          </div>
          <ColorSelect id="new-label-color" value={color} onChange={setColor} label="Colour of the new label" />
          <Button type="submit" disabled={create.isPending || !name.trim()}>
            Create label
          </Button>
        </form>
      )}
      {labels.isError && <p role="alert">Could not load labels. {errorMessage(labels.error)}</p>}
      {labels.isSuccess && labels.data.length === 0 && <p className="text-sm text-muted-foreground">No labels yet.</p>}
      <ul className="divide-y rounded-xl border" aria-label="Labels">
        {(labels.data ?? []).map((l) => (
          <li key={l.id} className="flex flex-wrap items-center gap-2 p-3" data-testid="label-row">
            <LabelChip label={l} />
            <span className="text-xs text-muted-foreground">
              {l.chatCount} {l.chatCount === 1 ? "chat" : "chats"}
            </span>
            {isAdmin && (
              <span className="ms-auto flex items-center gap-2">
                <label htmlFor={`rename-${l.id}`} className="sr-only">
                  Rename {l.name}
                </label>
                <Input
                  id={`rename-${l.id}`}
                  key={l.name}
                  defaultValue={l.name}
                  maxLength={40}
                  className="h-9 w-36"
                  onBlur={(e) => {
                    if (e.target.value.trim() && e.target.value.trim() !== l.name)
                      update.mutate({ id: l.id, name: e.target.value });
                  }}
                  onKeyDown={(e) => {
                    if (e.key === "Enter") e.currentTarget.blur();
                  }}
                />
                <ColorSelect
                  id={`color-${l.id}`}
                  value={l.color}
                  onChange={(c) => update.mutate({ id: l.id, color: c })}
                  label={`Colour of ${l.name}`}
                />
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={`Delete ${l.name}`}
                  onClick={() => {
                    if (window.confirm(`Delete the label “${l.name}”? It comes off ${l.chatCount} chats.`))
                      remove.mutate({ id: l.id });
                  }}
                >
                  <Trash2 />
                </Button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </main>
  );
}
