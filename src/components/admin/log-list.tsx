"use client";
// The pieces the admin logs (audit, webhooks) share: a filter select, the Filter and Refresh buttons,
// and the page around them (title card, then the list with its error, empty sentence or rows, and "Older events").
import { RefreshCw } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
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

/**
 * A log page: its title card with the filter form, then the list card with the load error (`failed`
 * first), the empty sentence or the rows, and a button for the next page.
 */
export function LogPage(props: {
  title: string;
  description: ReactNode;
  filters: ReactNode;
  list: PagedList;
  count: number;
  failed: string;
  empty: ReactNode;
  children: ReactNode;
}) {
  const { list } = props;
  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader>
          <CardTitle>{props.title}</CardTitle>
          <CardDescription>{props.description}</CardDescription>
        </CardHeader>
        <CardContent>{props.filters}</CardContent>
      </Card>
      <Card>
        <CardContent className="overflow-x-auto pt-6">
          {list.isError ? (
            <p className="text-sm text-destructive">
              {props.failed} {errorMessage(list.error)}
            </p>
          ) : props.count === 0 && !list.isPending ? (
            props.empty
          ) : (
            props.children
          )}
          {list.hasNextPage && (
            <Button variant="outline" className="mt-4" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {list.isFetchingNextPage ? "Loading…" : "Older events"}
            </Button>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
