"use client";
// Signing out also forgets this browser's unsent drafts: the next person at the screen sees none.
import { clearDrafts } from "@/components/inbox/drafts";
import { LogOut } from "lucide-react";
import { Button } from "@/components/ui/button";
import { signOutAction } from "./sign-out";

export function SignOutButton() {
  return (
    <form action={signOutAction} onSubmit={clearDrafts}>
      <Button type="submit" variant="outline" size="sm" aria-label="Sign out">
        <LogOut aria-hidden className="sm:hidden" />
        <span className="hidden sm:inline">Sign out</span>
      </Button>
    </form>
  );
}
