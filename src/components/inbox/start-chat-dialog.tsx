"use client";
// "New conversation": an account (of those granted), a person (the account's contacts by name, a
// LinkedIn profile link resolved through Unipile, or a WhatsApp number), the first message with files,
// and an InMail with a subject where LinkedIn allows it. Sending opens the chat at once with its
// pending message (stored by prepare); deliver then settles it, or the error shows and the draft returns.
import { useQuery } from "@tanstack/react-query";
import { Loader2, Paperclip, SquarePen, X } from "lucide-react";
import { Dialog } from "radix-ui";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { can } from "@/lib/capabilities";
import { errorMessage } from "@/lib/error-message";
import { linkedinIdentifier, phoneOfJid, whatsappJid } from "@/lib/start-chat";
import { type UploadLimits, uploadProblem } from "@/lib/upload-rules";
import { deliverStartChatAction, prepareStartChatAction } from "@/server/actions/start-chat";
import { useTRPC } from "@/trpc/react";
import { Avatar } from "./avatar";
import { providerInfo } from "./format";
import { DialogCloseX } from "@/components/ui/dialog-close";

type PersonRef = { kind: "attendee"; attendeeId: string } | { kind: "linkedin"; url: string } | { kind: "phone"; phone: string };
type Picked = { ref: PersonRef; name: string; detail: string | null; avatarUrl: string | null };

function newTxnId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The debounced value: the server is asked once typing pauses. */
function useSettled<T>(value: T, ms = 200): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

export function StartChatDialog({
  open,
  onOpenChange,
  onOpenChat,
  uploadLimits,
}: {
  open: boolean;
  onOpenChange: (v: boolean) => void;
  /** Shows a chat (null: back to the list). `replace` when the chat shown becomes another one. */
  onOpenChat: (chatId: string | null, replace?: boolean) => void;
  uploadLimits: UploadLimits;
}) {
  const trpc = useTRPC();
  const accounts = useQuery({ ...trpc.account.list.queryOptions(), enabled: open });
  const startable = (accounts.data ?? []).filter((a) => can("startChat", { provider: a.provider, accountStatus: a.status }));
  const [accountId, setAccountId] = useState("");
  const account = startable.find((a) => a.id === accountId) ?? startable[0];
  const [to, setTo] = useState("");
  const [picked, setPicked] = useState<Picked | null>(null);
  const [text, setText] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [inmail, setInmail] = useState(false);
  const [subject, setSubject] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const picker = useRef<HTMLInputElement>(null);

  const provider = account?.provider ?? "";
  const inmailAllowed = !!account && can("inmail", { provider, accountStatus: account.status });
  const query = useSettled(to.trim());
  const profileSlug = provider === "LINKEDIN" ? linkedinIdentifier(query) : null;
  const jid = provider === "WHATSAPP" ? whatsappJid(query) : null;
  const search = useQuery({
    ...trpc.people.search.queryOptions({ accountId: account?.id ?? "", query }),
    enabled: open && !!account && !picked && query.length > 0 && !profileSlug,
  });
  const profile = useQuery({
    ...trpc.people.resolve.queryOptions({ accountId: account?.id ?? "", person: { kind: "linkedin", url: query } }),
    enabled: open && !!account && !picked && !!profileSlug,
    retry: false,
  });

  function reset() {
    setTo("");
    setPicked(null);
    setText("");
    setFiles([]);
    setInmail(false);
    setSubject("");
    setError(null);
  }

  function addFiles(list: FileList | null) {
    if (!list?.length) return;
    const next = [...files, ...Array.from(list)];
    const problem = uploadProblem(
      next.map((f) => ({ name: f.name, size: f.size, type: f.type })),
      uploadLimits,
    );
    if (problem) setError(problem.message);
    else {
      setError(null);
      setFiles(next);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!account || !picked || busy) return;
    if (!text.trim() && files.length === 0) return setError("Write a first message or attach a file.");
    setBusy(true);
    setError(null);
    const form = new FormData();
    form.set("accountId", account.id);
    form.set("person", JSON.stringify(picked.ref));
    form.set("clientTxnId", newTxnId());
    form.set("text", text);
    if (inmailAllowed && inmail) {
      form.set("inmail", "true");
      form.set("subject", subject);
    }
    for (const f of files) form.append("files", f);
    const prepared = await prepareStartChatAction(form).catch((err: unknown) => ({
      ok: false as const,
      error: errorMessage(err),
      code: "INTERNAL" as const,
    }));
    setBusy(false);
    if (!prepared.ok) return setError(errorMessage(prepared));
    // Stored: the chat shows now, with its pending message, while Unipile is asked.
    const optimistic = prepared.data.chatId;
    onOpenChange(false);
    onOpenChat(optimistic);
    const delivered = await deliverStartChatAction(optimistic).catch((err: unknown) => ({
      ok: false as const,
      error: errorMessage(err),
      code: "INTERNAL" as const,
    }));
    if (delivered.ok) {
      reset();
      if (delivered.data.chatId === null) {
        toast.success("Sent. The conversation appears as soon as Unipile confirms it.");
        onOpenChat(null, true);
      } else if (delivered.data.chatId !== optimistic) onOpenChat(delivered.data.chatId, true);
      return;
    }
    // Rolled back on the server: say why, and give the draft back.
    const why = errorMessage(delivered);
    toast.error(why);
    onOpenChat(null, true);
    setError(why);
    onOpenChange(true);
  }

  const results: Picked[] = picked
    ? []
    : profileSlug
      ? profile.data
        ? [
            {
              ref: { kind: "linkedin", url: query },
              name: profile.data.name,
              detail: profile.data.headline ?? "LinkedIn profile",
              avatarUrl: null,
            },
          ]
        : []
      : [
          ...(jid
            ? [
                {
                  ref: { kind: "phone", phone: query } as PersonRef,
                  name: phoneOfJid(jid),
                  detail: "WhatsApp number",
                  avatarUrl: null,
                },
              ]
            : []),
          ...(search.data ?? [])
            .filter((p) => p.providerId !== jid)
            .map((p) => ({
              ref: { kind: "attendee", attendeeId: p.attendeeId! } as PersonRef,
              name: p.name,
              detail: null,
              avatarUrl: p.avatarUrl,
            })),
        ];
  const lookupNote = profileSlug
    ? profile.isFetching
      ? "Looking up the profile…"
      : profile.isError
        ? errorMessage(profile.error)
        : null
    : query && !search.isFetching && search.data && results.length === 0
      ? provider === "WHATSAPP"
        ? "No contact by that name. Type a number as +33 6 12 34 56 78."
        : provider === "LINKEDIN"
          ? "No contact by that name. Paste their LinkedIn profile link."
          : "No contact by that name."
      : null;

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 max-h-[92dvh] w-[min(32rem,94vw)] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl border bg-popover p-5 text-popover-foreground shadow-lg">
          <Dialog.Title className="mb-1 font-semibold">New conversation</Dialog.Title>
          <Dialog.Description className="mb-4 text-sm text-muted-foreground">
            Pick an account and a person, then write the first message.
          </Dialog.Description>
          {accounts.isSuccess && startable.length === 0 ? (
            <p className="text-sm">
              None of your accounts can start a conversation right now: they need to be reconnected first.
            </p>
          ) : (
            <form onSubmit={submit} className="flex flex-col gap-3" aria-busy={busy}>
              <label className="flex flex-col gap-1 text-sm font-medium">
                Account
                <select
                  className="h-9 rounded-md border border-input bg-background px-2 text-sm font-normal"
                  value={account?.id ?? ""}
                  onChange={(e) => {
                    setAccountId(e.target.value);
                    setPicked(null);
                    setInmail(false);
                  }}
                >
                  {startable.map((a) => (
                    <option key={a.id} value={a.id}>
                      {providerInfo(a.provider).label} · {a.name}
                    </option>
                  ))}
                </select>
              </label>

              {picked ? (
                <div className="flex items-center gap-2 rounded-md border p-2" data-testid="picked-person">
                  <Avatar name={picked.name} src={picked.avatarUrl} className="size-8" />
                  <div className="min-w-0 flex-1">
                    <p className="truncate text-sm font-medium">{picked.name}</p>
                    {picked.detail && <p className="truncate text-xs text-muted-foreground">{picked.detail}</p>}
                  </div>
                  <Button type="button" variant="ghost" size="sm" onClick={() => setPicked(null)}>
                    Change
                  </Button>
                </div>
              ) : (
                <div className="flex flex-col gap-1">
                  <label htmlFor="start-to" className="text-sm font-medium">
                    To
                  </label>
                  <Input
                    id="start-to"
                    autoComplete="off"
                    value={to}
                    onChange={(e) => setTo(e.target.value)}
                    placeholder={
                      provider === "LINKEDIN"
                        ? "A name, or a LinkedIn profile link"
                        : provider === "WHATSAPP"
                          ? "A name, or a number like +33 6 12 34 56 78"
                          : "A name"
                    }
                  />
                  {results.length > 0 && (
                    <ul aria-label="People" className="mt-1 flex flex-col rounded-md border">
                      {results.map((p) => (
                        <li key={JSON.stringify(p.ref)}>
                          <button
                            type="button"
                            className="flex w-full items-center gap-2 px-2 py-1.5 text-left hover:bg-accent focus-visible:bg-accent focus-visible:outline-none"
                            onClick={() => setPicked(p)}
                          >
                            <Avatar name={p.name} src={p.avatarUrl} className="size-7" />
                            <span className="min-w-0 flex-1 truncate text-sm">{p.name}</span>
                            {p.detail && <span className="max-w-[45%] truncate text-xs text-muted-foreground">{p.detail}</span>}
                          </button>
                        </li>
                      ))}
                    </ul>
                  )}
                  {lookupNote && (
                    <p className="text-xs text-muted-foreground" aria-live="polite">
                      {lookupNote}
                    </p>
                  )}
                </div>
              )}

              {inmailAllowed && (
                <>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" checked={inmail} onChange={(e) => setInmail(e.target.checked)} className="size-4" />
                    Send as an InMail (for people outside your network)
                  </label>
                  {inmail && (
                    <div className="flex flex-col gap-1">
                      <label htmlFor="start-subject" className="text-sm font-medium">
                        Subject
                      </label>
                      <Input id="start-subject" value={subject} maxLength={200} onChange={(e) => setSubject(e.target.value)} />
                    </div>
                  )}
                </>
              )}

              <label className="flex flex-col gap-1 text-sm font-medium">
                Message
                <textarea
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                  rows={4}
                  className="resize-y rounded-md border border-input bg-transparent px-3 py-2 text-sm font-normal focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                />
              </label>

              {files.length > 0 && (
                <ul className="flex flex-wrap gap-1.5" aria-label="Attached files">
                  {files.map((f, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: two files may share a name; the items hold no state
                    <li key={i} className="flex items-center gap-1 rounded-md border bg-muted px-2 py-0.5 text-xs">
                      <span className="max-w-40 truncate">{f.name}</span>
                      <button
                        type="button"
                        aria-label={`Remove ${f.name}`}
                        className="rounded hover:bg-accent"
                        onClick={() => setFiles(files.filter((_, j) => j !== i))}
                      >
                        <X className="size-3" />
                      </button>
                    </li>
                  ))}
                </ul>
              )}

              {error && (
                <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/10 px-3 py-2 text-sm">
                  {error}
                </p>
              )}

              <div className="flex items-center gap-2">
                <input
                  ref={picker}
                  type="file"
                  multiple
                  className="hidden"
                  onChange={(e) => addFiles(e.target.files)}
                  data-testid="start-file-input"
                />
                <Button type="button" variant="outline" size="sm" onClick={() => picker.current?.click()}>
                  <Paperclip aria-hidden /> Attach
                </Button>
                <Button type="submit" className="ml-auto" disabled={busy || !picked || (!text.trim() && files.length === 0)}>
                  {busy && <Loader2 className="animate-spin" aria-hidden />} Send
                </Button>
              </div>
            </form>
          )}
          <DialogCloseX />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** The inbox list header's button that opens the dialog. */
export function NewConversationButton({ onClick }: { onClick: () => void }) {
  return (
    <Button
      type="button"
      variant="outline"
      size="icon"
      aria-label="New conversation (n)"
      title="New conversation (n)"
      onClick={onClick}
      className="shrink-0"
    >
      <SquarePen aria-hidden />
    </Button>
  );
}
