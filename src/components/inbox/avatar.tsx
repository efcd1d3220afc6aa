import { cn } from "@/lib/utils";
import { avatarHue, initials, providerInfo } from "./format";

/** Initials on a stable colour (profile pictures are expiring Unipile URLs the browser must not get). */
export function Avatar({ name, provider, group, className }: { name: string; provider?: string; group?: boolean; className?: string }) {
  const hue = avatarHue(name);
  return (
    <span className={cn("relative inline-flex size-10 shrink-0 items-center justify-center", className)} aria-hidden>
      <span
        className={cn("flex size-full items-center justify-center text-sm font-semibold text-white", group ? "rounded-xl" : "rounded-full")}
        style={{ backgroundColor: `oklch(0.58 0.13 ${hue})` }}
      >
        {initials(name)}
      </span>
      {provider && <ProviderBadge provider={provider} className="absolute -right-1 -bottom-1 ring-2 ring-background" />}
    </span>
  );
}

export function ProviderBadge({ provider, className }: { provider: string; className?: string }) {
  const p = providerInfo(provider);
  return (
    <span
      className={cn("inline-flex h-4 min-w-4 items-center justify-center rounded px-0.5 text-[9px] font-bold leading-none", p.className, className)}
      title={p.label}
    >
      {p.short}
    </span>
  );
}
