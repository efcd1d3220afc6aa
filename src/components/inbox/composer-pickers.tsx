"use client";
// The composer's two pickers, opened by what is typed at the caret: "@name" in a note offers the
// teammates who may see this chat's account; "/word" at the start of a word offers saved replies,
// filled for this chat. Arrows move, Enter or Tab picks, Esc closes; the textarea keeps focus.
import { useQuery } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import { useState } from "react";
import { fillReply, type ReplyContext, unknownVariables } from "@/lib/saved-reply-vars";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";

export type Mention = { id: string; name: string };
export type PickerOption = {
  id: string;
  label: string;
  detail: string;
  warning: string | null;
  insert: string;
  mention?: Mention;
};
type Token = { trigger: "@" | "/"; start: number; query: string };

/** The "@…" or "/…" word that ends at the caret, if any. */
function tokenAt(text: string, caret: number): Token | null {
  const before = text.slice(0, caret);
  const m = /(?:^|\s)([@/])([^\s@/]{0,40})$/.exec(before);
  if (!m) return null;
  return { trigger: m[1] as "@" | "/", start: caret - m[2]!.length - 1, query: m[2]!.toLowerCase() };
}

export function useComposerPicker(o: {
  text: string;
  caret: number;
  noteMode: boolean;
  chatId: string;
  meId: string | null;
  context: ReplyContext | null;
}) {
  const trpc = useTRPC();
  const token = tokenAt(o.text, o.caret);
  const wantsMentions = token?.trigger === "@" && o.noteMode;
  const wantsReplies = token?.trigger === "/";
  const people = useQuery(trpc.note.mentionable.queryOptions({ chatId: o.chatId }, { enabled: o.noteMode, staleTime: 60_000 }));
  const replies = useQuery(trpc.savedReply.list.queryOptions(undefined, { enabled: wantsReplies, staleTime: 30_000 }));
  const [active, setActive] = useState(0);
  // Esc closes the list for what is typed now; typing on (or deleting) opens it again.
  const [dismissed, setDismissed] = useState<string | null>(null);

  let options: PickerOption[] = [];
  if (token && wantsMentions) {
    options = (people.data ?? [])
      .filter(
        (u) => u.id !== o.meId && (u.name.toLowerCase().includes(token.query) || u.email.toLowerCase().includes(token.query)),
      )
      .slice(0, 8)
      .map((u) => ({
        id: u.id,
        label: u.name,
        detail: u.email,
        warning: null,
        insert: `@${u.name} `,
        mention: { id: u.id, name: u.name },
      }));
  } else if (token && wantsReplies) {
    options = (replies.data ?? [])
      .filter((r) => r.title.toLowerCase().includes(token.query) || r.body.toLowerCase().includes(token.query))
      .slice(0, 8)
      .map((r) => {
        const unknown = unknownVariables(r.body);
        const body = o.context ? fillReply(r.body, o.context) : r.body;
        return {
          id: r.id,
          label: r.title,
          detail: body,
          warning: unknown.length
            ? `Unknown ${unknown.length === 1 ? "variable" : "variables"}: ${unknown.map((v) => `{{${v}}}`).join(", ")}`
            : null,
          insert: body,
        };
      });
  }
  const key = token ? `${token.start}:${token.query}` : null;
  // Once the text differs from what Esc closed on, the dismissal is over (React allows this update during render).
  if (dismissed !== null && key !== dismissed) setDismissed(null);
  const open = !!token && dismissed !== key && (options.length > 0 || (wantsReplies && replies.isSuccess));
  const index = Math.min(active, Math.max(0, options.length - 1));
  return {
    open,
    token,
    options,
    active: index,
    kind: token?.trigger === "@" ? ("mention" as const) : ("reply" as const),
    move(step: number) {
      if (options.length) setActive((index + step + options.length) % options.length);
    },
    close() {
      setDismissed(key);
    },
    reset() {
      setActive(0);
      setDismissed(null);
    },
  };
}

export const PICKER_ID = "composer-picker";
export const optionId = (i: number) => `composer-picker-${i}`;

export function PickerList({
  kind,
  options,
  active,
  onPick,
}: {
  kind: "mention" | "reply";
  options: PickerOption[];
  active: number;
  onPick: (o: PickerOption) => void;
}) {
  const label = kind === "mention" ? "Mention a teammate" : "Saved replies";
  return (
    <div className="absolute inset-x-2 bottom-full z-20 mb-1 max-h-72 overflow-y-auto rounded-md border bg-popover text-popover-foreground shadow-lg md:inset-x-3">
      <p className="border-b px-3 py-1.5 text-xs font-medium text-muted-foreground">{label}</p>
      {options.length === 0 ? (
        <p className="px-3 py-2 text-sm text-muted-foreground">
          No saved reply matches.{" "}
          <a href="/saved-replies" className="underline">
            Manage saved replies
          </a>
        </p>
      ) : (
        <div id={PICKER_ID} role="listbox" aria-label={label}>
          {options.map((opt, i) => (
            <div
              key={opt.id}
              id={optionId(i)}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              data-testid="picker-option"
              // mousedown, not click: the textarea must not lose focus (and the caret) first
              onMouseDown={(e) => {
                e.preventDefault();
                onPick(opt);
              }}
              className={cn("cursor-pointer px-3 py-1.5 text-sm", i === active && "bg-accent text-accent-foreground")}
            >
              <div className="font-medium">{opt.label}</div>
              <div className="truncate text-xs text-muted-foreground">{opt.detail}</div>
              {opt.warning && (
                <div
                  className="mt-0.5 flex items-center gap-1 text-xs text-amber-800 dark:text-amber-300"
                  data-testid="picker-warning"
                >
                  <AlertTriangle className="size-3" aria-hidden /> {opt.warning}
                </div>
              )}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
