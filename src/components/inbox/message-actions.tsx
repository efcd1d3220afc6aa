"use client";
// The per-message action menu: quick reactions and a picker, remove our reaction, edit and delete our
// own, forward to another chat. It offers only what the capability table allows for this chat
// (provider, read-only, Unipile's disabledFeatures, the account's status); delete only while the
// provider still allows it. Opened by its button (hover/focus; always shown on touch screens), by a
// long press or a right click on the bubble, and fully usable from the keyboard (Radix menu).
import { useQuery } from "@tanstack/react-query";
import { Forward, MoreHorizontal, Pencil, SmilePlus, Trash2, X } from "lucide-react";
import { Dialog, DropdownMenu } from "radix-ui";
import { createContext, type ReactNode, use, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { type ChatAction, can, deletableUntil } from "@/lib/capabilities";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import type { ChatDetail, ThreadMessage } from "./thread-types";
import type { MessageActions } from "./use-message-actions";

export const QUICK_REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🙏"];
const PICKER = [
  ["😀", "😁", "😅", "🤣", "😊", "😍", "😘", "😎", "🤔", "😴", "😬", "🙄", "😡", "🥳", "😇", "🤗"],
  ["👏", "🙌", "👌", "✌️", "🤞", "💪", "👋", "🤝", "👎", "🫶", "🔥", "✨", "🎉", "💯", "✅", "❌"],
  ["❤️", "🧡", "💛", "💚", "💙", "💜", "🖤", "💔", "⭐", "☀️", "🌧️", "☕", "🍕", "🎂", "🚀", "👀"],
];

type Ctx = { chat: ChatDetail; actions: MessageActions; editingId: string | null; setEditingId: (id: string | null) => void };
const ActionsContext = createContext<Ctx | null>(null);

export function MessageActionsProvider({
  chat,
  actions,
  children,
}: {
  chat: ChatDetail | undefined;
  actions: MessageActions;
  children: ReactNode;
}) {
  const [editingId, setEditingId] = useState<string | null>(null);
  if (!chat) return children;
  return <ActionsContext value={{ chat, actions, editingId, setEditingId }}>{children}</ActionsContext>;
}

export function useMessageActionsContext() {
  return use(ActionsContext);
}

/** What this person may do with this message now. */
function allowed(chat: ChatDetail, m: ThreadMessage) {
  const ctx = {
    provider: chat.account.provider,
    readOnly: chat.readOnly,
    disabledFeatures: chat.disabledFeatures,
    accountStatus: chat.account.status,
  };
  const ok = (a: ChatAction) => can(a, ctx);
  const live = !m.deleted && !m.isEvent && !m.id.startsWith("local-") && m.status !== "pending" && m.status !== "failed";
  const until = deletableUntil(chat.account.provider, m.sentAt);
  return {
    react: live && ok("react"),
    unreact: live && ok("unreact") && m.reactions.some((r) => r.mine),
    edit: live && m.isSender && ok("edit") && m.text !== null,
    delete: live && m.isSender && ok("delete") && (!until || until.getTime() > Date.now()),
    forward: live && ok("forward"),
  };
}

const itemClass =
  "flex cursor-default items-center gap-2 rounded-md px-2 py-1.5 text-sm outline-none select-none data-[highlighted]:bg-accent data-[highlighted]:text-accent-foreground";

/** The menu button beside a bubble; `open`/`onOpenChange` let a long press on the bubble open it too. */
export function MessageActionMenu({
  m,
  open,
  onOpenChange,
  align,
}: {
  m: ThreadMessage;
  open: boolean;
  onOpenChange: (o: boolean) => void;
  align: "start" | "end";
}) {
  const ctx = useMessageActionsContext();
  const [picker, setPicker] = useState(false);
  const [forwarding, setForwarding] = useState(false);
  if (!ctx) return null;
  const may = allowed(ctx.chat, m);
  if (!Object.values(may).some(Boolean)) return null;
  const { actions } = ctx;
  return (
    <>
      <DropdownMenu.Root open={open} onOpenChange={onOpenChange} modal={false}>
        <DropdownMenu.Trigger asChild>
          <button
            type="button"
            aria-label={`Actions for the message from ${m.senderName}`}
            data-testid="message-actions"
            className="mb-1 rounded-full p-1 text-muted-foreground opacity-0 group-hover:opacity-100 hover:bg-accent focus-visible:opacity-100 data-[state=open]:opacity-100 [@media(hover:none)]:opacity-100"
          >
            <MoreHorizontal className="size-4" />
          </button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            align={align}
            sideOffset={4}
            collisionPadding={8}
            className="z-50 min-w-52 rounded-xl border bg-popover p-1 text-popover-foreground shadow-lg"
            aria-label="Message actions"
          >
            {may.react && (
              <DropdownMenu.Group className="flex items-center gap-0.5 px-1 pb-1" aria-label="Quick reactions">
                {QUICK_REACTIONS.map((e) => (
                  <DropdownMenu.Item
                    key={e}
                    aria-label={`React with ${e}`}
                    onSelect={() => actions.react(m, e)}
                    className={cn(
                      "flex size-9 items-center justify-center rounded-full text-xl outline-none data-[highlighted]:bg-accent",
                      m.reactions.some((r) => r.mine && r.value === e) && "bg-primary/15",
                    )}
                  >
                    {e}
                  </DropdownMenu.Item>
                ))}
                <DropdownMenu.Item
                  aria-label="More reactions"
                  onSelect={() => setPicker(true)}
                  className="flex size-9 items-center justify-center rounded-full outline-none data-[highlighted]:bg-accent"
                >
                  <SmilePlus className="size-5" aria-hidden />
                </DropdownMenu.Item>
              </DropdownMenu.Group>
            )}
            {may.unreact && (
              <DropdownMenu.Item className={itemClass} onSelect={() => actions.react(m, null)}>
                <X className="size-4" aria-hidden /> Remove my reaction
              </DropdownMenu.Item>
            )}
            {may.edit && (
              <DropdownMenu.Item className={itemClass} onSelect={() => ctx.setEditingId(m.id)}>
                <Pencil className="size-4" aria-hidden /> Edit
              </DropdownMenu.Item>
            )}
            {may.forward && (
              <DropdownMenu.Item className={itemClass} onSelect={() => setForwarding(true)}>
                <Forward className="size-4" aria-hidden /> Forward…
              </DropdownMenu.Item>
            )}
            {may.delete && (
              <DropdownMenu.Item
                className={cn(itemClass, "text-destructive data-[highlighted]:text-destructive")}
                onSelect={() => actions.remove(m)}
              >
                <Trash2 className="size-4" aria-hidden /> Delete for everyone
              </DropdownMenu.Item>
            )}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <EmojiPicker open={picker} onOpenChange={setPicker} onPick={(e) => actions.react(m, e)} />
      {forwarding && <ForwardDialog m={m} chat={ctx.chat} actions={actions} onClose={() => setForwarding(false)} />}
    </>
  );
}

const dialogClass =
  "fixed top-1/2 left-1/2 z-50 w-[min(24rem,94vw)] -translate-x-1/2 -translate-y-1/2 rounded-xl border bg-popover p-4 text-popover-foreground shadow-lg";

function EmojiPicker({
  open,
  onOpenChange,
  onPick,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  onPick: (e: string) => void;
}) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className={dialogClass}>
          <Dialog.Title className="font-semibold">Pick a reaction</Dialog.Title>
          <Dialog.Description className="sr-only">Choose an emoji to react with</Dialog.Description>
          <div className="mt-3 grid grid-cols-8 gap-1">
            {PICKER.flat().map((e) => (
              <button
                key={e}
                type="button"
                aria-label={`React with ${e}`}
                className="flex aspect-square items-center justify-center rounded-md text-xl hover:bg-accent focus-visible:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
                onClick={() => {
                  onPick(e);
                  onOpenChange(false);
                }}
              >
                {e}
              </button>
            ))}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** Pick a chat of the same account; the copy arrives there like our own message. */
function ForwardDialog({
  m,
  chat,
  actions,
  onClose,
}: {
  m: ThreadMessage;
  chat: ChatDetail;
  actions: MessageActions;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const [q, setQ] = useState("");
  const list = useQuery(trpc.chat.list.queryOptions({ accountId: chat.accountId, limit: 100 }));
  const needle = q.trim().toLowerCase();
  const targets = (list.data?.items ?? []).filter(
    (c) => c.id !== chat.id && !c.readOnly && (!needle || c.displayName.toLowerCase().includes(needle)),
  );
  return (
    <Dialog.Root open onOpenChange={(o) => !o && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className={dialogClass}>
          <Dialog.Title className="font-semibold">Forward message</Dialog.Title>
          <Dialog.Description className="mt-1 line-clamp-2 text-sm text-muted-foreground" dir="auto">
            {m.text ?? "Attachment"}
          </Dialog.Description>
          <Input
            className="mt-3"
            placeholder="Search chats"
            aria-label="Search chats"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            autoFocus
          />
          <ul className="mt-2 max-h-72 overflow-y-auto" aria-label="Chats to forward to">
            {list.isPending && <li className="p-2 text-sm text-muted-foreground">Loading chats…</li>}
            {list.isError && (
              <li role="alert" className="p-2 text-sm text-destructive">
                Could not load chats.
              </li>
            )}
            {list.data && targets.length === 0 && (
              <li className="p-2 text-sm text-muted-foreground">No other chat on this account.</li>
            )}
            {targets.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  disabled={actions.forwarding}
                  className="w-full truncate rounded-md px-2 py-2 text-left text-sm hover:bg-accent focus-visible:bg-accent focus-visible:outline-none disabled:opacity-60"
                  dir="auto"
                  onClick={async () => {
                    if (await actions.forward(m, { id: c.id, name: c.displayName })) onClose();
                  }}
                >
                  {c.displayName}
                </button>
              </li>
            ))}
          </ul>
          <div className="mt-3 flex justify-end">
            <Dialog.Close asChild>
              <Button variant="outline" size="sm">
                Cancel
              </Button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** Our message's text, edited in place: Enter saves, Shift+Enter a new line, Escape cancels. */
export function InlineEditor({
  m,
  onSave,
  onCancel,
}: {
  m: ThreadMessage;
  onSave: (text: string) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState(m.text ?? "");
  const save = () => {
    const t = text.trim();
    if (!t) return;
    if (t === m.text) onCancel();
    else onSave(t);
  };
  return (
    <form
      className="flex min-w-56 flex-col gap-1.5"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <textarea
        aria-label="Edit message"
        className="min-h-16 w-full resize-y rounded-md border bg-background p-2 text-sm text-foreground focus-visible:outline-2 focus-visible:outline-ring"
        value={text}
        dir="auto"
        // biome-ignore lint/a11y/noAutofocus: the person just chose Edit; the field is what they act on
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            onCancel();
          } else if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            save();
          }
        }}
      />
      <div className="flex justify-end gap-1.5">
        <Button type="button" size="sm" variant="secondary" className="h-7" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" size="sm" variant="secondary" className="h-7" disabled={!text.trim()}>
          Save
        </Button>
      </div>
    </form>
  );
}
