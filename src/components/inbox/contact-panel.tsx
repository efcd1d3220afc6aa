"use client";
// The person behind the open chat, beside the thread (a sheet over it on a phone): picture, name,
// provider and profile link, their other chats, "same person as…" links, this chat's labels, first
// and last contact. In a group it lists the members; picking one shows their panel.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, ExternalLink, Link2, X } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { LabelChips } from "@/components/labels/label-chips";
import { errorMessage } from "@/lib/error-message";
import { Time } from "@/lib/time";
import { useTRPC } from "@/trpc/react";
import { Avatar } from "./avatar";
import { providerInfo } from "./format";
import { showError } from "./thread-errors";

export function ContactPanel({
  chatId,
  onClose,
  onOpenChat,
}: {
  chatId: string;
  onClose: () => void;
  onOpenChat: (id: string) => void;
}) {
  const trpc = useTRPC();
  const [member, setMember] = useState<string | undefined>();
  const panel = useQuery(trpc.contact.panel.queryOptions({ chatId, ...(member ? { attendeeId: member } : {}) }));
  const p = panel.data;
  return (
    <aside
      aria-label="Contact"
      data-testid="contact-panel"
      className="fixed inset-0 z-30 flex flex-col overflow-y-auto bg-background md:static md:z-auto md:w-80 md:shrink-0 md:border-l"
    >
      <div className="flex h-14 shrink-0 items-center gap-2 border-b px-3">
        {member && (
          <Button variant="ghost" size="icon" aria-label="Back to the members" onClick={() => setMember(undefined)}>
            <ArrowLeft />
          </Button>
        )}
        <h2 className="flex-1 font-semibold">{p?.isGroup && !member ? "Members" : "Contact"}</h2>
        <Button variant="ghost" size="icon" aria-label="Close the contact panel" onClick={onClose}>
          <X />
        </Button>
      </div>
      {panel.isError && (
        <p role="alert" className="p-4 text-sm">
          Could not load the contact. {errorMessage(panel.error)}
        </p>
      )}
      {panel.isPending && <div className="m-4 h-24 animate-pulse rounded-xl bg-muted" />}
      {p && (
        <div className="flex flex-col gap-5 p-4 text-sm">
          {p.labels.length > 0 && (
            <section aria-label="Labels of this chat">
              <LabelChips labels={p.labels} max={20} className="flex-wrap" />
            </section>
          )}
          {p.isGroup && !member && (
            <ul aria-label="Members" className="-mx-2">
              {p.members.map((m) => (
                <li key={m.id}>
                  <button
                    type="button"
                    className="flex w-full items-center gap-2 rounded-md p-2 text-start hover:bg-accent"
                    onClick={() => setMember(m.id)}
                  >
                    <Avatar name={m.name} provider={m.provider} src={m.avatarUrl} className="size-8" />
                    <span className="truncate" dir="auto">
                      {m.name}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {p.person && (
            <>
              <div className="flex items-center gap-3">
                <Avatar name={p.person.name} provider={p.person.provider} src={p.person.avatarUrl} className="size-14" />
                <div className="min-w-0">
                  <p className="truncate text-base font-semibold" dir="auto" data-testid="contact-name">
                    {p.person.name}
                  </p>
                  <p className="truncate text-xs text-muted-foreground">
                    {providerInfo(p.person.provider).label} · {p.person.accountName}
                  </p>
                  {p.person.profileUrl && (
                    <a
                      href={p.person.profileUrl}
                      target="_blank"
                      rel="noopener noreferrer"
                      className="inline-flex items-center gap-1 text-xs underline"
                    >
                      Profile <ExternalLink className="size-3" aria-hidden />
                    </a>
                  )}
                </div>
              </div>
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
                <dt className="text-muted-foreground">First contact</dt>
                <dd>{p.firstContactAt ? <Time date={p.firstContactAt} format="list" /> : "—"}</dd>
                <dt className="text-muted-foreground">Last contact</dt>
                <dd>{p.lastContactAt ? <Time date={p.lastContactAt} format="list" /> : "—"}</dd>
                <dt className="text-muted-foreground">Team notes</dt>
                <dd data-testid="contact-note-count">{p.noteCount === 0 ? "None" : p.noteCount}</dd>
              </dl>
              <section aria-labelledby="other-chats">
                <h3 id="other-chats" className="mb-1 font-medium">
                  Other chats
                </h3>
                {p.otherChats.length === 0 ? (
                  <p className="text-xs text-muted-foreground">No other chat with this person.</p>
                ) : (
                  <ul className="-mx-2" data-testid="contact-other-chats">
                    {p.otherChats.map((c) => (
                      <li key={c.id}>
                        <PickButton name={c.displayName} provider={c.provider} accountName={c.accountName} onClick={() => onOpenChat(c.id)} />
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <SamePerson attendeeId={p.person.id} chatId={chatId} linked={p.linkedPeople} />
            </>
          )}
        </div>
      )}
    </aside>
  );
}

type Linked = { linkId: string; id: string; name: string; provider: string; accountName: string };

/** A row to pick: a chat or a person, named with their app and account. */
function PickButton(o: { name: string | null; provider: string; accountName: string; disabled?: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      className="flex w-full flex-col rounded-md p-2 text-start hover:bg-accent"
      disabled={o.disabled}
      onClick={o.onClick}
    >
      <span className="truncate" dir="auto">
        {o.name}
      </span>
      <span className="text-xs text-muted-foreground">
        {providerInfo(o.provider).label} · {o.accountName}
      </span>
    </button>
  );
}

/** "Same person as…": the hand-made links, and a search to add one. */
function SamePerson({ attendeeId, chatId, linked }: { attendeeId: string; chatId: string; linked: Linked[] }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [q, setQ] = useState("");
  const people = useQuery(trpc.contact.people.queryOptions({ q: q.trim() }, { enabled: q.trim().length > 0 }));
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.contact.panel.pathKey() });
  const onError = (err: unknown) => showError(errorMessage(err));
  const link = useMutation(
    trpc.contact.link.mutationOptions({
      onSuccess: () => {
        setQ("");
        void refresh();
      },
      onError,
    }),
  );
  const unlink = useMutation(trpc.contact.unlink.mutationOptions({ onSuccess: refresh, onError }));
  const candidates = (people.data ?? []).filter((c) => c.id !== attendeeId && !linked.some((l) => l.id === c.id));
  return (
    <section aria-labelledby="same-person" data-chat={chatId}>
      <h3 id="same-person" className="mb-1 font-medium">
        Same person as…
      </h3>
      {linked.length > 0 && (
        <ul className="mb-2 flex flex-col gap-1" aria-label="Linked people">
          {linked.map((l) => (
            <li key={l.linkId} className="flex items-center gap-2 text-xs">
              <Link2 className="size-3.5 shrink-0 text-muted-foreground" aria-hidden />
              <span className="min-w-0 flex-1 truncate" dir="auto">
                {l.name} · {providerInfo(l.provider).label}
              </span>
              <Button
                variant="ghost"
                size="sm"
                className="h-7 px-2"
                onClick={() => unlink.mutate({ linkId: l.linkId })}
                aria-label={`Unlink ${l.name}`}
              >
                Unlink
              </Button>
            </li>
          ))}
        </ul>
      )}
      <label htmlFor="same-person-search" className="sr-only">
        Find a person to link
      </label>
      <input
        id="same-person-search"
        className="h-8 w-full rounded-md border border-input bg-background px-2 text-sm"
        placeholder="Find a person by name"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      {candidates.length > 0 && (
        <ul className="-mx-2 mt-1" aria-label="People to link">
          {candidates.map((c) => (
            <li key={c.id}>
              <PickButton
                name={c.name}
                provider={c.provider}
                accountName={c.accountName}
                disabled={link.isPending}
                onClick={() => link.mutate({ attendeeId, otherId: c.id })}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
