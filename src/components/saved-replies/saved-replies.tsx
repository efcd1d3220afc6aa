"use client";
// The saved replies page: shared replies (admins change them) and your own. The composer inserts them
// by typing "/" and filling their {{variables}} for the open chat.
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { errorMessage } from "@/lib/error-message";
import { REPLY_VARIABLES, unknownVariables } from "@/lib/saved-reply-vars";
import { useTRPC } from "@/trpc/react";

type Reply = { id: string; title: string; body: string; shared: boolean; canEdit: boolean };

const area =
  "min-h-24 w-full rounded-md border border-input bg-transparent px-3 py-2 text-sm shadow-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring";

function useRefresh() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: trpc.savedReply.list.queryKey() });
}

function Unknown({ body }: { body: string }) {
  const unknown = unknownVariables(body);
  if (unknown.length === 0) return null;
  return (
    <p className="flex items-center gap-1 text-xs text-amber-800 dark:text-amber-300" role="status">
      <AlertTriangle className="size-3.5" aria-hidden />
      Parley does not know {unknown.map((v) => `{{${v}}}`).join(", ")}: it stays as written when inserted.
    </p>
  );
}

/** Title and body fields, used to add a reply and to edit one. */
function ReplyFields({
  idPrefix,
  title,
  body,
  onTitle,
  onBody,
}: {
  idPrefix: string;
  title: string;
  body: string;
  onTitle: (v: string) => void;
  onBody: (v: string) => void;
}) {
  return (
    <>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={`${idPrefix}-title`}>Title</Label>
        <Input id={`${idPrefix}-title`} value={title} maxLength={120} onChange={(e) => onTitle(e.target.value)} required />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={`${idPrefix}-body`}>Text</Label>
        <textarea
          id={`${idPrefix}-body`}
          className={area}
          value={body}
          maxLength={5000}
          onChange={(e) => onBody(e.target.value)}
          required
          dir="auto"
        />
        <Unknown body={body} />
      </div>
    </>
  );
}

function AddReply({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const refresh = useRefresh();
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [shared, setShared] = useState(false);
  const create = useMutation(
    trpc.savedReply.create.mutationOptions({
      onSuccess: async () => {
        toast.success("Saved reply added");
        setTitle("");
        setBody("");
        await refresh();
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ title, body, shared });
  };
  return (
    <Card>
      <CardHeader>
        <CardTitle>Add a saved reply</CardTitle>
        <CardDescription>Variables filled for each chat: {REPLY_VARIABLES.map((v) => `{{${v}}}`).join(", ")}.</CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Add a saved reply">
          <ReplyFields idPrefix="new-reply" title={title} body={body} onTitle={setTitle} onBody={setBody} />
          {isAdmin && (
            <fieldset className="flex flex-wrap gap-4 text-sm">
              <legend className="mb-1 text-sm font-medium">Who can use it</legend>
              <label className="flex items-center gap-1.5">
                <input type="radio" name="scope" checked={!shared} onChange={() => setShared(false)} /> Only me
              </label>
              <label className="flex items-center gap-1.5">
                <input type="radio" name="scope" checked={shared} onChange={() => setShared(true)} /> The whole team (shared)
              </label>
            </fieldset>
          )}
          <Button type="submit" className="self-start" disabled={create.isPending}>
            Add saved reply
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

function ReplyRow({ r }: { r: Reply }) {
  const trpc = useTRPC();
  const refresh = useRefresh();
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(r.title);
  const [body, setBody] = useState(r.body);
  const onError = (err: unknown) => toast.error(errorMessage(err));
  const update = useMutation(
    trpc.savedReply.update.mutationOptions({
      onSuccess: async () => {
        setEditing(false);
        await refresh();
      },
      onError,
    }),
  );
  const remove = useMutation(trpc.savedReply.delete.mutationOptions({ onSuccess: () => refresh(), onError }));
  if (editing)
    return (
      <li className="border-b py-3 last:border-b-0">
        <form
          className="flex flex-col gap-3"
          aria-label={`Edit ${r.title}`}
          onSubmit={(e) => {
            e.preventDefault();
            update.mutate({ id: r.id, title, body });
          }}
        >
          <ReplyFields idPrefix={`reply-${r.id}`} title={title} body={body} onTitle={setTitle} onBody={setBody} />
          <div className="flex gap-2">
            <Button type="submit" size="sm" disabled={update.isPending}>
              Save
            </Button>
            <Button type="button" size="sm" variant="outline" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </div>
        </form>
      </li>
    );
  return (
    <li
      className="flex flex-col gap-1 border-b py-3 last:border-b-0 sm:flex-row sm:items-start sm:gap-3"
      data-testid="saved-reply"
    >
      <div className="min-w-0 flex-1">
        <div className="flex items-center gap-2 font-medium">
          {r.title} {r.shared && <Badge variant="secondary">Shared</Badge>}
        </div>
        <p className="text-sm break-words whitespace-pre-wrap text-muted-foreground" dir="auto">
          {r.body}
        </p>
        <Unknown body={r.body} />
      </div>
      {r.canEdit && (
        <div className="flex shrink-0 gap-2">
          <Button size="sm" variant="outline" onClick={() => setEditing(true)} aria-label={`Edit ${r.title}`}>
            Edit
          </Button>
          <Button
            size="sm"
            variant="outline"
            disabled={remove.isPending}
            onClick={() => remove.mutate({ id: r.id })}
            aria-label={`Delete ${r.title}`}
          >
            Delete
          </Button>
        </div>
      )}
    </li>
  );
}

function ReplySection({
  title,
  description,
  replies,
  empty,
}: {
  title: string;
  description: string;
  replies: Reply[];
  empty: string;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent>
        {replies.length === 0 ? (
          <p className="text-sm text-muted-foreground">{empty}</p>
        ) : (
          <ul aria-label={title}>
            {replies.map((r) => (
              <ReplyRow key={r.id} r={r} />
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

export function SavedReplies({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.savedReply.list.queryOptions());
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-xl font-semibold">Saved replies</h1>
        <p className="text-sm text-muted-foreground">
          Type <kbd className="rounded border px-1 font-mono text-xs">/</kbd> in the composer to insert one.
        </p>
      </div>
      <AddReply isAdmin={isAdmin} />
      <ReplySection
        title="Shared with the team"
        description={isAdmin ? "Everyone can use these; admins change them." : "Everyone can use these; only admins change them."}
        replies={data.filter((r) => r.shared)}
        empty="No shared replies yet."
      />
      <ReplySection
        title="Yours"
        description="Only you see these."
        replies={data.filter((r) => !r.shared)}
        empty="You have no saved replies of your own yet."
      />
    </div>
  );
}
