import { MessageSquareText, ShieldCheck, Tag } from "lucide-react";
import Link from "next/link";
import { SettingsMenu } from "@/components/settings/settings-menu";
import { Button } from "@/components/ui/button";
import type { SessionUser } from "@/server/access";
import { MentionsMenu } from "./mentions-menu";
import { SignOutButton } from "./sign-out-button";
import { ThemeToggle } from "./theme-toggle";

export function AppHeader({ user }: { user: SessionUser }) {
  return (
    <header className="flex h-12 shrink-0 items-center gap-2 border-b px-2 sm:gap-4 sm:px-4">
      <Link href="/" className="font-semibold tracking-tight">
        Parley
      </Link>
      <nav aria-label="Main" className="flex items-center gap-1 text-sm">
        {/* On a phone the Parley name is the way back to the inbox, and the other links are icons: 375 px has room for no more. */}
        <Button asChild variant="ghost" size="sm" className="hidden sm:inline-flex">
          <Link href="/">Inbox</Link>
        </Button>
        <Button asChild variant="ghost" size="sm">
          <Link href="/saved-replies" aria-label="Saved replies">
            <MessageSquareText aria-hidden className="sm:hidden" />
            <span className="hidden sm:inline">Saved replies</span>
          </Link>
        </Button>
        <Button asChild variant="ghost" size="sm">
          <Link href="/labels" aria-label="Labels">
            <Tag aria-hidden className="sm:hidden" />
            <span className="hidden sm:inline">Labels</span>
          </Link>
        </Button>
        {user.role === "admin" && (
          <Button asChild variant="ghost" size="sm">
            <Link href="/admin" aria-label="Admin">
              <ShieldCheck aria-hidden className="sm:hidden" />
              <span className="hidden sm:inline">Admin</span>
            </Link>
          </Button>
        )}
      </nav>
      <div className="ml-auto flex items-center gap-1 text-sm sm:gap-2">
        <MentionsMenu />
        <span className="hidden text-muted-foreground sm:inline" data-testid="current-user">
          {user.email}
        </span>
        <SettingsMenu />
        <ThemeToggle />
        <SignOutButton />
      </div>
    </header>
  );
}
