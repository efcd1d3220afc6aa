"use client";
// Pin, mute and archive as a menu: in the thread header and on each list row. Only what the
// provider allows for this chat and account is offered (src/lib/capabilities.ts, as the server checks).
import { Archive, ArchiveRestore, Bell, BellOff, Ellipsis, EllipsisVertical, Pin, PinOff } from "lucide-react";
import { DropdownMenu } from "radix-ui";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { can, providerRules } from "@/lib/capabilities";
import { stampTime } from "@/lib/format";
import { useTimeText } from "@/lib/time";
import { cn } from "@/lib/utils";
import { type ChatStateChange, useChatState } from "./use-chat-state";

export type ChatStateFields = {
  id: string;
  displayName: string;
  pinned: boolean;
  archived: boolean;
  muted: boolean;
  mutedUntil: Date | null;
  readOnly: boolean;
  account: { provider: string; status: string };
};

const HOUR = 3_600_000;

/** What the menu offers for this chat: [label, change, icon] per item. */
export function chatStateItems(chat: ChatStateFields): [string, ChatStateChange, ReactNode][] {
  const ctx = { provider: chat.account.provider, readOnly: chat.readOnly, accountStatus: chat.account.status };
  const items: [string, ChatStateChange, ReactNode][] = [];
  if (can("pin", ctx))
    items.push(
      chat.pinned
        ? ["Unpin", { action: "pin", value: false }, <PinOff key="i" />]
        : ["Pin to top", { action: "pin", value: true }, <Pin key="i" />],
    );
  if (can("mute", ctx)) {
    if (chat.muted) items.push(["Unmute", { action: "mute", value: false }, <Bell key="i" />]);
    else if (providerRules(chat.account.provider).timedMute) {
      items.push([
        "Mute for 8 hours",
        { action: "mute", value: true, until: new Date(Date.now() + 8 * HOUR) },
        <BellOff key="i" />,
      ]);
      items.push([
        "Mute for 1 week",
        { action: "mute", value: true, until: new Date(Date.now() + 7 * 24 * HOUR) },
        <BellOff key="i" />,
      ]);
      items.push(["Mute until I unmute", { action: "mute", value: true, until: null }, <BellOff key="i" />]);
    } else items.push(["Mute", { action: "mute", value: true, until: null }, <BellOff key="i" />]);
  }
  if (can("archive", ctx))
    items.push(
      chat.archived
        ? ["Move to inbox", { action: "archive", value: false }, <ArchiveRestore key="i" />]
        : ["Archive", { action: "archive", value: true }, <Archive key="i" />],
    );
  return items;
}

/** The menu's line about a mute (rendered only in the browser, once opened, so the local time is safe). */
function muteText(chat: Pick<ChatStateFields, "muted" | "mutedUntil">): string | null {
  if (!chat.muted) return null;
  return chat.mutedUntil ? `Muted until ${stampTime(new Date(chat.mutedUntil))}` : "Muted until you unmute";
}

/** A header button that moves into the menu on a phone, where the header has no room for it. */
export type PhoneItem = { label: string; icon: ReactNode; onSelect: () => void };

const itemClass =
  "flex cursor-default items-center gap-2 rounded-sm px-2 py-1.5 text-sm outline-none select-none data-[highlighted]:bg-accent data-[highlighted]:text-accent-foreground [&_svg]:size-4 [&_svg]:text-muted-foreground";

export function ChatStateMenu({ chat, place, phoneItems = [] }: { chat: ChatStateFields; place: "header" | "row"; phoneItems?: PhoneItem[] }) {
  const apply = useChatState();
  const items = chatStateItems(chat);
  if (items.length === 0 && phoneItems.length === 0) return null;
  const mute = muteText(chat);
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger asChild>
        {place === "header" ? (
          <Button
            variant="ghost"
            size="icon"
            aria-label="Chat actions"
            title="Pin, mute, archive (p, m, y)"
            data-testid="chat-state-menu"
          >
            <EllipsisVertical />
          </Button>
        ) : (
          <button
            type="button"
            aria-label={`Actions for ${chat.displayName}`}
            data-testid="row-state-menu"
            className={cn(
              "absolute top-1/2 right-2 flex size-8 -translate-y-1/2 items-center justify-center rounded-md border bg-background text-muted-foreground shadow-sm",
              "opacity-0 group-hover:opacity-100 focus-visible:opacity-100 focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none data-[state=open]:opacity-100 pointer-coarse:hidden",
            )}
          >
            <Ellipsis className="size-4" aria-hidden />
          </button>
        )}
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={4}
          className="z-50 min-w-48 rounded-md border bg-popover p-1 text-popover-foreground shadow-md"
          // Back on the row's own link, not the menu button that disappears with the hover.
          onCloseAutoFocus={place === "row" ? (e) => e.preventDefault() : undefined}
        >
          {phoneItems.map((item) => (
            <DropdownMenu.Item key={item.label} onSelect={item.onSelect} className={cn(itemClass, "sm:hidden")}>
              {item.icon}
              {item.label}
            </DropdownMenu.Item>
          ))}
          {phoneItems.length > 0 && items.length > 0 && <DropdownMenu.Separator className="my-1 h-px bg-border sm:hidden" />}
          {mute && <DropdownMenu.Label className="px-2 py-1 text-xs text-muted-foreground">{mute}</DropdownMenu.Label>}
          {items.map(([label, change, icon]) => (
            <DropdownMenu.Item key={label} onSelect={() => void apply(chat.id, change)} className={itemClass}>
              {icon}
              {label}
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

/** Pinned and muted, as small icons beside a chat's name (the list rows use the same). */
export function ChatStateIcons({ chat }: { chat: { pinned: boolean; muted: boolean; mutedUntil: Date | null } }) {
  const until = useTimeText(chat.mutedUntil, "stamp");
  return (
    <>
      {chat.pinned && (
        <span title="Pinned" className="shrink-0" data-testid="pinned-icon">
          <Pin className="size-3.5 text-muted-foreground" aria-label="Pinned" />
        </span>
      )}
      {chat.muted && (
        <span title={chat.mutedUntil ? `Muted until ${until}` : "Muted"} className="shrink-0" data-testid="muted-icon">
          <BellOff className="size-3.5 text-muted-foreground" aria-label="Muted" />
        </span>
      )}
    </>
  );
}
