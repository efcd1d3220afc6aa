import { AppHeader } from "@/components/shell/app-header";
import { requireUser } from "@/server/session";

export default async function InboxLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <div className="flex h-dvh flex-col">
      <AppHeader user={user} />
      {children}
    </div>
  );
}
