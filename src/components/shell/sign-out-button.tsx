"use client";
// Signing out also forgets this browser's unsent drafts: the next person at the screen sees none.
import { clearDrafts } from "@/components/inbox/drafts";
import { Button } from "@/components/ui/button";
import { signOutAction } from "./sign-out";

export function SignOutButton() {
  return (
    <form action={signOutAction} onSubmit={clearDrafts}>
      <Button type="submit" variant="outline" size="sm">
        Sign out
      </Button>
    </form>
  );
}
