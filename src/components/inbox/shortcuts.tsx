"use client";
import { Dialog } from "radix-ui";
import { DialogCloseX } from "@/components/ui/dialog-close";

const SHORTCUTS: [string, string][] = [
  ["j / k", "Next / previous chat (or search result)"],
  ["Enter", "Open the selected chat"],
  ["/", "Search messages"],
  ["u", "Mark the open chat unread (or read)"],
  ["p", "Pin the open chat to the top (or unpin)"],
  ["m", "Mute the open chat (or unmute)"],
  ["y", "Archive the open chat (or move it back)"],
  ["r", "Reply to the last message"],
  ["e", "Mark done (or reopen) — the selected chats, else the open one"],
  ["a", "Assign to me — the selected chats, else the open one"],
  ["s", "Snooze — the selected chats, else the open one"],
  ["x", "Select the chat under the cursor"],
  ["Shift + ↑ / ↓", "Select while moving (also Shift + j / k)"],
  ["c", "Write a message (focus the composer)"],
  ["Shift + n", "Start a new conversation"],
  ["n", "Write an internal note (toggle note mode)"],
  ["l", "Label the open chat"],
  ["i", "Show or hide the contact panel"],
  ["Esc", "Leave search or the composer; clear the selection"],
  ["?", "Show these shortcuts"],
];

export function ShortcutsDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (v: boolean) => void }) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 w-[min(26rem,92vw)] -translate-x-1/2 -translate-y-1/2 rounded-xl border bg-popover p-5 text-popover-foreground shadow-lg">
          <Dialog.Title className="mb-3 font-semibold">Keyboard shortcuts</Dialog.Title>
          <Dialog.Description className="sr-only">Keys that work anywhere in the inbox outside text fields</Dialog.Description>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            {SHORTCUTS.map(([k, v]) => (
              <div key={k} className="contents">
                <dt>
                  <kbd className="rounded border bg-muted px-1.5 py-0.5 font-mono text-xs">{k}</kbd>
                </dt>
                <dd className="text-muted-foreground">{v}</dd>
              </div>
            ))}
          </dl>
          <DialogCloseX />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
