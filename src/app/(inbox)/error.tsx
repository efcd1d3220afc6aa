"use client";
import { AlertTriangle } from "lucide-react";
import { Button } from "@/components/ui/button";

export default function InboxError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main role="alert" className="m-auto flex flex-col items-center gap-3 p-6 text-center">
      <AlertTriangle className="size-8 text-destructive" aria-hidden />
      <h1 className="font-semibold">The inbox could not be loaded</h1>
      <p className="max-w-sm text-sm text-muted-foreground">{error.digest ? `Error ${error.digest}. ` : ""}Try again; if it keeps failing, check the server log.</p>
      <Button onClick={reset}>Try again</Button>
    </main>
  );
}
