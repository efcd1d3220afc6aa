import Link from "next/link";
import { AppHeader } from "@/components/shell/app-header";
import { SkipLink } from "@/components/ui/skip-link";
import { requireAdmin } from "@/server/session";

const sections = [
  { href: "/admin", label: "Users" },
  { href: "/admin/sync", label: "Sync" },
  { href: "/admin/webhooks", label: "Webhooks" },
  { href: "/admin/audit", label: "Audit" },
];

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await requireAdmin();
  return (
    <div className="flex min-h-dvh flex-col">
      <SkipLink targets={["content"]}>Skip to content</SkipLink>
      <AppHeader user={user} />
      <div className="mx-auto flex w-full max-w-6xl flex-1 flex-col gap-6 p-4 md:flex-row">
        <nav aria-label="Admin" className="flex gap-1 md:w-40 md:flex-col">
          {sections.map((s) => (
            <Link key={s.href} href={s.href} className="rounded-md px-3 py-2 text-sm hover:bg-accent">
              {s.label}
            </Link>
          ))}
        </nav>
        <main id="content" tabIndex={-1} className="min-w-0 flex-1 outline-none">
          <h1 className="sr-only">Admin</h1>
          {children}
        </main>
      </div>
    </div>
  );
}
