"use client";
// The pieces the admin logs (audit, webhooks) share: a filter select, the Filter and Refresh buttons,
// and the list body that shows the load error, the empty sentence or the rows, then "Older events".
import { RefreshCw } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { errorMessage } from "@/lib/error-message";

/** One filter: "any" first, then each value. */
export function FilterSelect({ id, name, label, values, show = (v) => v }: { id: string; name: string; label: string; values: readonly string[]; show?: (v: string) => string }) {
  return (
    <div className="flex flex-col gap-1">
      <Label htmlFor={id}>{label}</Label>
      <select id={id} name={name} defaultValue="" className="h-9 rounded-md border bg-background px-2 text-sm">
        <option value="">any</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {show(v)}
          </option>
        ))}
      </select>
    </div>
  );
}

type PagedList = {
  isError: boolean;
  error: unknown;
  isPending: boolean;
  isFetching: boolean;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  refetch: () => Promise<unknown>;
  fetchNextPage: () => Promise<unknown>;
};

/** Submits the filter form; Refresh reloads the list as it is (and spins while it does). */
export function FilterButtons({ list }: { list: PagedList }) {
  return (
    <div className="flex gap-2">
      <Button type="submit">Filter</Button>
      <Button type="button" variant="outline" size="icon" aria-label="Refresh" onClick={() => void list.refetch()}>
        <RefreshCw className={list.isFetching ? "animate-spin" : undefined} />
      </Button>
    </div>
  );
}

/** The error (with `failed` first), the empty sentence, or the rows; then a button for the next page. */
export function LogBody({ list, count, failed, empty, children }: { list: PagedList; count: number; failed: string; empty: ReactNode; children: ReactNode }) {
  return (
    <>
      {list.isError ? (
        <p className="text-sm text-destructive">
          {failed} {errorMessage(list.error)}
        </p>
      ) : count === 0 && !list.isPending ? (
        empty
      ) : (
        children
      )}
      {list.hasNextPage && (
        <Button variant="outline" className="mt-4" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {list.isFetchingNextPage ? "Loading…" : "Older events"}
        </Button>
      )}
    </>
  );
}
