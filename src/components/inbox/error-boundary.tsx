"use client";
// Keeps one broken pane (a message that fails to render, a lost query) from blanking the inbox.
import { AlertTriangle } from "lucide-react";
import { Component, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/error-message";

export class PaneErrorBoundary extends Component<{ children: ReactNode; label: string }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidCatch(error: Error) {
    console.error(error);
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" className="m-auto flex flex-col items-center gap-2 p-6 text-center text-sm">
        <AlertTriangle className="size-6 text-destructive" aria-hidden />
        <p className="font-medium">The {this.props.label} could not be shown.</p>
        <p className="max-w-xs text-muted-foreground">{errorMessage(this.state.error)}</p>
        <Button size="sm" variant="outline" onClick={() => this.setState({ error: null })}>
          Try again
        </Button>
      </div>
    );
  }
}
