import Link from "next/link";
import { SettingsMenu } from "@/components/settings/settings-menu";
import { Button } from "@/components/ui/button";
import type { SessionUser } from "@/server/access";
import { SignOutButton } from "./sign-out-button";
import { ThemeToggle } from "./theme-toggle";

export function AppHeader({ user }: { user: SessionUser }) {
  return (
    <header className="flex h-12 shrink-0 items-center gap-4 border-b px-4">
      <Link href="/" className="font-semibold tracking-tight">
        Parley
      </Link>
      <nav aria-label="Main" className="flex items-center gap-1 text-sm">
        <Button asChild variant="ghost" size="sm">
          <Link href="/">Inbox</Link>
        </Button>
        {user.role === "admin" && (
          <Button asChild variant="ghost" size="sm">
            <Link href="/admin">Admin</Link>
          </Button>
        )}
      </nav>
      <div className="ml-auto flex items-center gap-2 text-sm">
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
