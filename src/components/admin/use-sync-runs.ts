"use client";
// The sync page's live data: runs refresh through the realtime.sync stream, with polling as a safety
// net while a run is active.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useEffect, useRef } from "react";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/trpc/react";
import { syncRunsInput } from "./sync-runs-input";

export type Run = inferRouterOutputs<AppRouter>["sync"]["runs"][number];

const isActive = (r: Run) => r.status === "queued" || r.status === "running";

/** Refetches everything under sync.* when the worker reports progress; a burst costs one refetch. */
export function useSyncRealtime() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  useSubscription(
    trpc.realtime.sync.subscriptionOptions(undefined, {
      onData() {
        timer.current ??= setTimeout(() => {
          timer.current = null;
          void qc.invalidateQueries({ queryKey: trpc.sync.pathKey() });
        }, 200);
      },
    }),
  );
}

/** The runs, split into active and finished, and a refresh for after a Resync. */
export function useSyncRuns(automatic: boolean) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const runs = useQuery({
    ...trpc.sync.runs.queryOptions(syncRunsInput(automatic)),
    // Polling only while something is active: the stream does the work, this is the safety net.
    refetchInterval: (q) => (q.state.data?.some(isActive) ? 2000 : false),
  });
  const list = runs.data ?? [];
  return {
    isPending: runs.isPending,
    active: list.filter(isActive),
    past: list.filter((r) => !isActive(r)),
    refresh: () => void qc.invalidateQueries({ queryKey: trpc.sync.pathKey() }),
  };
}
