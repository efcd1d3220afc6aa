"use client";
// The user's own settings: desktop notifications (the browser's permission is asked for here, on a
// click, never on page load), sound, which views count in the tab title, and auto-assign on reply.
// Each change is saved at once.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Settings } from "lucide-react";
import { Dialog } from "radix-ui";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/trpc/react";
import { DialogCloseX } from "@/components/ui/dialog-close";

const VIEWS = [
  { id: "mine", label: "Mine" },
  { id: "unassigned", label: "Unassigned" },
  { id: "all", label: "All" },
] as const;

type Prefs = { autoAssignOnReply: boolean; desktopNotifications: boolean; sound: boolean; watchedViews: string[] };

function Toggle({ id, label, hint, checked, onChange }: { id: string; label: string; hint?: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label htmlFor={id} className="flex items-start gap-3 py-1.5 text-sm">
      <input id={id} type="checkbox" className="mt-0.5 size-4 accent-primary" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>
        {label}
        {hint && <span className="block text-xs text-muted-foreground">{hint}</span>}
      </span>
    </label>
  );
}

export function SettingsMenu() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // What the boxes show at once (a controlled checkbox must change in its own click); the server's answer replaces it.
  const [shown, setShown] = useState<Prefs | null>(null);
  const prefs = useQuery(trpc.preference.get.queryOptions());
  const save = useMutation(
    trpc.preference.update.mutationOptions({
      onError: () => setShown(null),
      onSuccess(data) {
        qc.setQueryData(trpc.preference.get.queryKey(), data);
        void qc.invalidateQueries({ queryKey: trpc.notification.unread.queryKey() });
      },
    }),
  );
  const p = shown ?? prefs.data;
  const set = (change: Partial<Prefs>) => {
    if (p) setShown({ ...p, ...change });
    save.mutate(change as never);
  };

  async function setNotifications(on: boolean) {
    setProblem(null);
    if (on) {
      if (typeof Notification === "undefined" || !window.isSecureContext) {
        setProblem("This browser allows notifications only on https or localhost.");
        return;
      }
      const permission = Notification.permission === "default" ? await Notification.requestPermission() : Notification.permission;
      if (permission !== "granted") {
        setProblem("Notifications are blocked for this site. Allow them in the browser's site settings.");
        return;
      }
    }
    set({ desktopNotifications: on });
  }

  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <Button variant="ghost" size="icon" aria-label="Settings" data-testid="settings-button">
          <Settings />
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 max-h-[90dvh] w-[min(24rem,92vw)] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl border bg-popover p-5 text-popover-foreground shadow-lg">
          <Dialog.Title className="mb-1 font-semibold">Settings</Dialog.Title>
          <Dialog.Description className="mb-3 text-xs text-muted-foreground">Yours only; saved as you change them.</Dialog.Description>
          {!p ? (
            prefs.isError ? (
              <p role="alert" className="text-sm text-destructive">
                Could not load your settings. {errorMessage(prefs.error)}
              </p>
            ) : (
              <div className="h-32 animate-pulse rounded bg-muted" />
            )
          ) : (
            <div className="space-y-3">
              <fieldset>
                <legend className="mb-1 text-xs font-medium text-muted-foreground uppercase">Notifications</legend>
                <Toggle
                  id="pref-desktop"
                  label="Desktop notifications"
                  hint="New messages in chats that are yours or unassigned, never muted ones."
                  checked={p.desktopNotifications}
                  onChange={(v) => void setNotifications(v)}
                />
                <Toggle id="pref-sound" label="Play a sound" checked={p.sound} onChange={(v) => set({ sound: v })} />
                {problem && (
                  <p role="alert" className="text-xs text-destructive">
                    {problem}
                  </p>
                )}
              </fieldset>
              <fieldset>
                <legend className="mb-1 text-xs font-medium text-muted-foreground uppercase">Unread count in the tab counts</legend>
                {VIEWS.map((v) => (
                  <Toggle
                    key={v.id}
                    id={`pref-view-${v.id}`}
                    label={v.label}
                    checked={p.watchedViews.includes(v.id)}
                    onChange={(on) => set({ watchedViews: on ? [...p.watchedViews, v.id] : p.watchedViews.filter((x) => x !== v.id) })}
                  />
                ))}
              </fieldset>
              <fieldset>
                <legend className="mb-1 text-xs font-medium text-muted-foreground uppercase">Team</legend>
                <Toggle id="pref-autoassign" label="Replying to an unassigned chat assigns it to me" checked={p.autoAssignOnReply} onChange={(v) => set({ autoAssignOnReply: v })} />
              </fieldset>
              {save.isError && (
                <p role="alert" className="text-xs text-destructive">
                  Not saved. {errorMessage(save.error)}
                </p>
              )}
            </div>
          )}
          <DialogCloseX />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
