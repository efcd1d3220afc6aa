"use client";
// Enter sends, Shift+Enter adds a line; files are checked against the upload limit before they leave.
// When replying is impossible (read-only chat, disconnected account) it says why before anything is typed.
// Note mode writes an internal note instead (never sent to Unipile, so it works in any chat); "@"
// mentions a teammate there, and "/" inserts a saved reply in either mode (composer-pickers.tsx).
import { AlertTriangle, Paperclip, SendHorizontal, StickyNote, X } from "lucide-react";
import { useImperativeHandle, useRef, useState, useSyncExternalStore, type Ref } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { type UploadLimits, uploadProblem } from "@/lib/upload-rules";
import { formatBytes } from "@/lib/format";
import type { ReplyContext } from "@/lib/saved-reply-vars";
import { cn } from "@/lib/utils";
import { type Mention, optionId, PICKER_ID, type PickerOption, PickerList, useComposerPicker } from "./composer-pickers";

export type ComposerHandle = { focus(): void; setText(text: string): void; toggleNote(): void };
export type Draft = { text: string; files: File[] };
export type NoteDraft = { text: string; mentionIds: string[] };

const COARSE = "(pointer: coarse)";
/** True on touch screens, where there is no Shift key to hint at. False while server-rendering. */
function useTouchScreen() {
  return useSyncExternalStore(
    (onChange) => {
      const q = window.matchMedia(COARSE);
      q.addEventListener("change", onChange);
      return () => q.removeEventListener("change", onChange);
    },
    () => window.matchMedia(COARSE).matches,
    () => false,
  );
}

export function Composer({
  chatId,
  meId,
  context,
  disabledReason,
  limits,
  replyTo,
  onCancelReply,
  onSend,
  onNote,
  onTextChange,
  ref,
}: {
  chatId: string;
  meId: string | null;
  /** What saved-reply variables are filled with; null until the chat and the user are loaded. */
  context: ReplyContext | null;
  /** Why replying is impossible here; null when it is possible. */
  disabledReason: string | null;
  limits: UploadLimits;
  replyTo: { senderName: string; text: string | null } | null;
  onCancelReply: () => void;
  onSend: (draft: Draft) => void;
  /** Stores a note; resolves false when the server refused it (the text then stays for another try). */
  onNote: (note: NoteDraft) => Promise<boolean>;
  /** Every change of the text (drafts are kept from it). */
  onTextChange?: (text: string) => void;
  ref?: Ref<ComposerHandle>;
}) {
  const [noteMode, setNoteMode] = useState(false);
  // A note goes nowhere near Unipile: a read-only chat or a disconnected account can still get one.
  const disabled = !noteMode && disabledReason !== null;
  const touch = useTouchScreen();
  const [text, setTextState] = useState("");
  const [caret, setCaret] = useState(0);
  const [mentions, setMentions] = useState<Mention[]>([]);
  const [saving, setSaving] = useState(false);
  const setText = (next: string) => {
    setTextState(next);
    onTextChange?.(next);
  };
  const [files, setFiles] = useState<File[]>([]);
  const area = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const choices = useComposerPicker({ text, caret, noteMode, chatId, meId, context });
  const toggleNote = () => {
    setNoteMode((v) => !v);
    // After the re-render: in a chat that cannot be answered the textarea is enabled only for notes.
    requestAnimationFrame(() => area.current?.focus());
  };
  useImperativeHandle(ref, () => ({ focus: () => area.current?.focus(), setText, toggleNote }));

  function pick(opt: PickerOption) {
    const token = choices.token;
    if (!token) return;
    const next = text.slice(0, token.start) + opt.insert + text.slice(caret);
    const at = token.start + opt.insert.length;
    setText(next);
    setCaret(at);
    if (opt.mention) setMentions((ms) => [...ms.filter((m) => m.id !== opt.mention!.id), opt.mention!]);
    choices.reset();
    requestAnimationFrame(() => area.current?.setSelectionRange(at, at));
  }

  function addFiles(list: FileList | null) {
    if (!list) return;
    const next = [...files, ...Array.from(list)];
    // The server's own rule (count, type, size), so what is refused here would be refused there.
    const problem = uploadProblem(next, limits);
    if (problem) toast.error(problem.message);
    else setFiles(next);
    if (picker.current) picker.current.value = "";
  }

  async function submit() {
    if (noteMode) {
      if (!text.trim() || saving) return;
      setSaving(true);
      // Only the people whose "@Name" is still in the text are mentioned.
      const mentionIds = mentions.filter((m) => text.includes(`@${m.name}`)).map((m) => m.id);
      const stored = await onNote({ text, mentionIds }).finally(() => setSaving(false));
      if (stored) {
        setText("");
        setMentions([]);
      }
      area.current?.focus();
      return;
    }
    if (disabled) return;
    if (!text.trim() && files.length === 0) return;
    onSend({ text, files });
    setText("");
    setFiles([]);
    area.current?.focus();
  }

  return (
    <form
      className={cn("relative shrink-0 border-t p-2 md:p-3", noteMode ? "bg-amber-50 dark:bg-amber-950/40" : "bg-background")}
      aria-label={noteMode ? "Team note" : "Reply"}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {choices.open && <PickerList kind={choices.kind} options={choices.options} active={choices.active} onPick={pick} />}
      {noteMode && (
        <p
          className="mb-2 flex items-center gap-1.5 text-xs font-medium text-amber-900 dark:text-amber-200"
          data-testid="note-mode"
        >
          <StickyNote className="size-3.5" aria-hidden /> Note · only your team sees this. Type @ to mention a teammate.
        </p>
      )}
      {disabled && (
        <p
          className="mb-2 flex items-center gap-2 rounded-md bg-amber-100 px-2 py-1.5 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200"
          role="status"
          id="composer-notice"
          data-testid="composer-notice"
        >
          <AlertTriangle className="size-4 shrink-0" aria-hidden />
          {disabledReason}
        </p>
      )}
      {replyTo && !noteMode && (
        <div
          className="mb-2 flex items-start gap-2 rounded-md border-l-2 border-primary bg-muted px-2 py-1 text-xs"
          data-testid="reply-preview"
        >
          <div className="min-w-0 flex-1">
            <div className="font-medium">Replying to {replyTo.senderName}</div>
            <div className="truncate text-muted-foreground" dir="auto">
              {replyTo.text ?? "Attachment"}
            </div>
          </div>
          <button type="button" aria-label="Cancel reply" onClick={onCancelReply} className="rounded p-0.5 hover:bg-accent">
            <X className="size-4" />
          </button>
        </div>
      )}
      {files.length > 0 && (
        <ul className="mb-2 flex flex-wrap gap-1.5" aria-label="Attached files">
          {files.map((f, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: two attached files may share a name; the items hold no state, so a reused element after a removal still shows its own file
            <li key={`${f.name}-${i}`} className="flex items-center gap-1 rounded-md border px-2 py-0.5 text-xs">
              <span className="max-w-40 truncate">{f.name}</span>
              <span className="text-muted-foreground">{formatBytes(f.size)}</span>
              <button
                type="button"
                aria-label={`Remove ${f.name}`}
                onClick={() => setFiles(files.filter((_, j) => j !== i))}
                className="rounded hover:bg-accent"
              >
                <X className="size-3.5" />
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="flex items-end gap-2">
        <input
          ref={picker}
          type="file"
          multiple
          className="hidden"
          onChange={(e) => addFiles(e.target.files)}
          data-testid="file-input"
        />
        <Button
          type="button"
          variant={noteMode ? "secondary" : "ghost"}
          size="icon"
          aria-label="Note"
          aria-pressed={noteMode}
          title="Write an internal note (n)"
          onClick={toggleNote}
          className={cn(noteMode && "bg-amber-200 text-amber-950 hover:bg-amber-300 dark:bg-amber-800 dark:text-amber-50")}
        >
          <StickyNote />
        </Button>
        {!noteMode && (
          <Button
            type="button"
            variant="ghost"
            size="icon"
            aria-label="Attach files"
            disabled={disabled}
            onClick={() => picker.current?.click()}
          >
            <Paperclip />
          </Button>
        )}
        <label htmlFor="composer" className="sr-only">
          {noteMode ? "Internal note" : "Message"}
        </label>
        <textarea
          id="composer"
          ref={area}
          rows={1}
          dir="auto"
          value={text}
          disabled={disabled}
          aria-describedby={disabled ? "composer-notice" : undefined}
          aria-controls={choices.open ? PICKER_ID : undefined}
          aria-activedescendant={choices.open && choices.options.length ? optionId(choices.active) : undefined}
          placeholder={
            disabled
              ? ""
              : noteMode
                ? "Write a note for your team…"
                : touch
                  ? "Write a message…"
                  : "Write a message…  (Enter sends, Shift+Enter new line, / for saved replies)"
          }
          onChange={(e) => {
            setText(e.target.value);
            setCaret(e.target.selectionStart);
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
          onKeyDown={(e) => {
            if (choices.open && !e.nativeEvent.isComposing) {
              const opt = choices.options[choices.active];
              if (e.key === "ArrowDown" || e.key === "ArrowUp") {
                e.preventDefault();
                choices.move(e.key === "ArrowDown" ? 1 : -1);
                return;
              }
              if ((e.key === "Enter" || e.key === "Tab") && opt) {
                e.preventDefault();
                pick(opt);
                return;
              }
              if (e.key === "Escape") {
                e.preventDefault();
                choices.close();
                return;
              }
            }
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void submit();
            } else if (e.key === "Escape") {
              if (replyTo) onCancelReply();
              else area.current?.blur();
            }
          }}
          onPaste={(e) => {
            if (e.clipboardData.files.length) {
              e.preventDefault();
              addFiles(e.clipboardData.files);
            }
          }}
          className="max-h-40 min-h-9 flex-1 resize-none rounded-md border border-input bg-transparent px-3 py-2 text-sm [field-sizing:content] placeholder:text-muted-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-60"
        />
        <Button
          type="submit"
          size="icon"
          aria-label={noteMode ? "Add note" : "Send"}
          disabled={noteMode ? saving || !text.trim() : disabled || (!text.trim() && files.length === 0)}
        >
          {noteMode ? <StickyNote /> : <SendHorizontal />}
        </Button>
      </div>
    </form>
  );
}
