"use client";
// The admin sync page: the current run with live progress, past runs, per-account and per-chat
// health, and the Resync buttons. Data and live updates live in use-sync-runs.ts.
import { useState } from "react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ResyncButton } from "./resync-button";
import { AccountHealth, ChatHealth } from "./sync-health";
import { LastSweep } from "./sync-sweep";
import { CurrentRun, RunHistory } from "./sync-runs";
import { useSyncRealtime, useSyncRuns } from "./use-sync-runs";

export function SyncAdmin() {
  useSyncRealtime();
  const [automatic, setAutomatic] = useState(false);
  const { isPending, active, past, refresh } = useSyncRuns(automatic);
  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
          <div className="flex flex-col gap-1.5">
            <CardTitle>Sync</CardTitle>
            <CardDescription>
              History, chats Unipile knows that we do not, and repairs. Incremental on every start; a resync re-walks
              everything in scope.
            </CardDescription>
          </div>
          <ResyncButton target={{ scope: "all" }} label="Resync everything" size="default" onQueued={refresh} />
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          {isPending ? (
            <p className="text-sm text-muted-foreground">Loading runs…</p>
          ) : active.length > 0 ? (
            active.map((r) => <CurrentRun key={r.id} run={r} />)
          ) : past[0] ? (
            <CurrentRun run={past[0]} />
          ) : (
            <p className="text-sm text-muted-foreground" data-testid="sync-idle">
              No sync has run yet.
            </p>
          )}
          <LastSweep />
        </CardContent>
      </Card>
      <RunHistory runs={past} automatic={automatic} onAutomatic={setAutomatic} />
      <AccountHealth onQueued={refresh} />
      <ChatHealth onQueued={refresh} />
    </div>
  );
}
