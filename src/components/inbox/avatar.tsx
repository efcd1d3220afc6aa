"use client";
import { useState } from "react";
import { cn } from "@/lib/utils";
import { avatarHue, initials, providerInfo } from "./format";

/**
 * The person's picture when there is one (through our /api/avatars route: Unipile's expiring URLs
 * never reach the browser), else initials on a stable colour; a picture that fails keeps the initials.
 */
// Lightness 0.52 keeps white initials at 4.8:1 or more on every hue (WCAG AA for small text).
export function Avatar({
  name,
  provider,
  group,
  src,
  className,
}: {
  name: string;
  provider?: string;
  group?: boolean;
  src?: string | null;
  className?: string;
}) {
  const hue = avatarHue(name);
  const [failed, setFailed] = useState<string | null>(null);
  const shape = group ? "rounded-xl" : "rounded-full";
  return (
    <span className={cn("relative inline-flex size-10 shrink-0 items-center justify-center", className)} aria-hidden>
      <span
        className={cn("flex size-full items-center justify-center text-sm font-semibold text-white", shape)}
        style={{ backgroundColor: `oklch(0.52 0.13 ${hue})` }}
      >
        {initials(name)}
      </span>
      {src && failed !== src && (
        // biome-ignore lint/performance/noImgElement: a private, per-user image that next/image's shared cache must not hold
        <img
          src={src}
          alt=""
          loading="lazy"
          decoding="async"
          className={cn("absolute inset-0 size-full object-cover", shape)}
          onError={() => setFailed(src)}
          data-testid="avatar-picture"
        />
      )}
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
