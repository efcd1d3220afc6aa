import { AppHeader } from "@/components/shell/app-header";
import { SkipLink } from "@/components/ui/skip-link";
import { requireUser } from "@/server/session";

export default async function InboxLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <div className="flex h-dvh flex-col">
      {/* The composer when a chat is open (and can reply), else the inbox's main area. */}
      <SkipLink targets={["composer", "content"]}>Skip to conversation</SkipLink>
      <AppHeader user={user} />
      {children}
    </div>
  );
}
