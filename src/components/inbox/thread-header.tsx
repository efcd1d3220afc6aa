"use client";
// The open chat's header: who it is with, on which account (and whether that account works), the
// sync line, the read/unread toggle, the pin/mute/archive menu, labels and the contact panel toggle
// (on a phone the last three are in the menu).
// An InMail's subject sits under it.
import { ArrowLeft, Mail, MailOpen, PanelRight, Tag } from "lucide-react";
import Link from "next/link";
import { LabelChips } from "@/components/labels/label-chips";
import { LabelPicker } from "@/components/labels/label-picker";
import { PresenceAvatars } from "@/components/presence/presence-bar";
import type { Teammate } from "@/components/presence/use-presence";
import { Button } from "@/components/ui/button";
import { Avatar } from "./avatar";
import { ChatStateIcons, ChatStateMenu } from "./chat-state-menu";
import { ChatSyncHealth } from "./chat-sync-health";
import { providerInfo } from "./format";
import type { ChatDetail } from "./thread-types";
import { useInboxParams } from "./use-inbox-params";
import { WorkBar } from "./work-bar";

export function ThreadHeader({
  chat,
  onToggleRead,
  labelsOpen,
  onLabelsOpenChange,
  others = [],
}: {
  chat: ChatDetail | undefined;
  onToggleRead: () => void;
  labelsOpen: boolean;
  onLabelsOpenChange: (open: boolean) => void;
  others?: Teammate[];
}) {
  const c = chat;
  const { params, update } = useInboxParams();
  const toggleContact = () => update({ panel: params.panel ? null : "contact" });
  return (
    <>
      <header className="flex h-14 shrink-0 items-center gap-3 border-b px-3">
        <Button asChild variant="ghost" size="icon" className="md:hidden">
          <Link href="/" aria-label="Back to chats">
            <ArrowLeft />
          </Link>
        </Button>
        {c ? (
          <>
            <Avatar
              name={c.displayName}
              provider={c.account.provider}
              group={c.type !== "single"}
              src={c.avatarUrl}
              className="size-9"
            />
            {/* One direction for both lines, taken from the name: an Arabic name and its subtitle align alike. */}
            <div className="min-w-0 flex-1" dir="auto">
              <div className="flex min-w-0 items-center gap-1.5">
                <h1 className="truncate font-semibold" data-testid="thread-title">
                  {c.displayName}
                </h1>
                <ChatStateIcons chat={c} />
              </div>
              <p className="truncate text-xs text-muted-foreground" data-testid="thread-subtitle">
                {providerInfo(c.account.provider).label} · {c.account.name}
                {c.type !== "single" && ` · ${c.memberCount} members`}
                {c.archived && " · Archived"}
                {!c.accountHealthy && (
                  <span className="ms-1 text-amber-700 dark:text-amber-400">
                    · account {c.account.status.toLowerCase()}
                    {c.account.statusMessage ? `: ${c.account.statusMessage}` : ""}
                  </span>
                )}
                {c.accountHealthy && c.productIssue && (
                  <span className="ms-1 text-amber-700 dark:text-amber-400" data-testid="product-status">
                    · {c.productIssue.label} {c.productIssue.status.toLowerCase()}
                  </span>
                )}
              </p>
            </div>
            <LabelChips labels={c.labels} className="hidden sm:flex" />
            <PresenceAvatars others={others} />
            <div className="hidden lg:block">
              <ChatSyncHealth chatId={c.id} />
            </div>
            {/* On a phone these three live in the ⋮ menu: the name needs the room. */}
            <Button
              variant="ghost"
              size="icon"
              onClick={() => onLabelsOpenChange(true)}
              title="Labels (l)"
              aria-label="Labels"
              className="hidden sm:inline-flex"
            >
              <Tag />
            </Button>
            <LabelPicker
              chatIds={[c.id]}
              current={c.labels.map((l) => l.id)}
              open={labelsOpen}
              onOpenChange={onLabelsOpenChange}
            />
            <Button
              variant="ghost"
              size="icon"
              aria-pressed={params.panel}
              onClick={toggleContact}
              title="Contact panel (i)"
              aria-label="Contact panel"
              className="hidden sm:inline-flex"
            >
              <PanelRight />
            </Button>
            <Button variant="ghost" size="sm" onClick={onToggleRead} title="Toggle read (u)" className="hidden sm:inline-flex">
              {c.unreadCount > 0 ? <MailOpen /> : <Mail />}
              {c.unreadCount > 0 ? "Mark as read" : "Mark as unread"}
            </Button>
            <ChatStateMenu
              chat={c}
              place="header"
              phoneItems={[
                { label: "Labels", icon: <Tag />, onSelect: () => onLabelsOpenChange(true) },
                { label: "Contact panel", icon: <PanelRight />, onSelect: toggleContact },
                c.unreadCount > 0
                  ? { label: "Mark as read", icon: <MailOpen />, onSelect: onToggleRead }
                  : { label: "Mark as unread", icon: <Mail />, onSelect: onToggleRead },
              ]}
            />
          </>
        ) : (
          <div className="h-5 w-40 animate-pulse rounded bg-muted" />
        )}
      </header>
      {c && <WorkBar chat={c} />}
      {c?.subject && (
        <p className="flex shrink-0 items-center gap-2 border-b bg-muted/40 px-4 py-1.5 text-sm" title="Subject">
          <Mail className="size-4 shrink-0 text-muted-foreground" aria-hidden />
          <span className="truncate font-medium" dir="auto" data-testid="chat-subject">
            {c.subject}
          </span>
        </p>
      )}
    </>
  );
}
