"use client";
// Enter sends, Shift+Enter adds a line; files are checked against the upload limit before they leave.
// When replying is impossible (read-only chat, disconnected account) it says why before anything is typed.
import { AlertTriangle, Paperclip, SendHorizontal, X } from "lucide-react";
import { useImperativeHandle, useRef, useState, useSyncExternalStore, type Ref } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { type UploadLimits, uploadProblem } from "@/lib/upload-rules";
import { formatBytes } from "@/lib/format";

export type ComposerHandle = { focus(): void; setText(text: string): void };
export type Draft = { text: string; files: File[] };

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
  disabledReason,
  limits,
  replyTo,
  onCancelReply,
  onSend,
  onTextChange,
  ref,
}: {
  /** Why replying is impossible here; null when it is possible. */
  disabledReason: string | null;
  limits: UploadLimits;
  replyTo: { senderName: string; text: string | null } | null;
  onCancelReply: () => void;
  onSend: (draft: Draft) => void;
  /** Every change of the text (drafts are kept from it). */
  onTextChange?: (text: string) => void;
  ref?: Ref<ComposerHandle>;
}) {
  const disabled = disabledReason !== null;
  const touch = useTouchScreen();
  const [text, setTextState] = useState("");
  const setText = (next: string) => {
    setTextState(next);
    onTextChange?.(next);
  };
  const [files, setFiles] = useState<File[]>([]);
  const area = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  useImperativeHandle(ref, () => ({ focus: () => area.current?.focus(), setText }));

  function addFiles(list: FileList | null) {
    if (!list) return;
    const next = [...files, ...Array.from(list)];
    // The server's own rule (count, type, size), so what is refused here would be refused there.
    const problem = uploadProblem(next, limits);
    if (problem) toast.error(problem.message);
    else setFiles(next);
    if (picker.current) picker.current.value = "";
  }

  function submit() {
    if (disabled) return;
    if (!text.trim() && files.length === 0) return;
    onSend({ text, files });
    setText("");
    setFiles([]);
    area.current?.focus();
  }

  return (
    <form
      className="shrink-0 border-t bg-background p-2 md:p-3"
      aria-label="Reply"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {disabled && (
        <p className="mb-2 flex items-center gap-2 rounded-md bg-amber-100 px-2 py-1.5 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200" role="status" id="composer-notice" data-testid="composer-notice">
          <AlertTriangle className="size-4 shrink-0" aria-hidden />
          {disabledReason}
        </p>
      )}
      {replyTo && (
        <div className="mb-2 flex items-start gap-2 rounded-md border-l-2 border-primary bg-muted px-2 py-1 text-xs" data-testid="reply-preview">
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
        <input ref={picker} type="file" multiple className="hidden" onChange={(e) => addFiles(e.target.files)} data-testid="file-input" />
        <Button type="button" variant="ghost" size="icon" aria-label="Attach files" disabled={disabled} onClick={() => picker.current?.click()}>
          <Paperclip />
        </Button>
        <label htmlFor="composer" className="sr-only">
          Message
        </label>
        <textarea
          id="composer"
          ref={area}
          rows={1}
          dir="auto"
          value={text}
          disabled={disabled}
          aria-describedby={disabled ? "composer-notice" : undefined}
          placeholder={disabled ? "" : touch ? "Write a message…" : "Write a message…  (Enter sends, Shift+Enter new line)"}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              submit();
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
        <Button type="submit" size="icon" aria-label="Send" disabled={disabled || (!text.trim() && files.length === 0)}>
          <SendHorizontal />
        </Button>
      </div>
    </form>
  );
}
