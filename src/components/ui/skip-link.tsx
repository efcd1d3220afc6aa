"use client";
import type * as React from "react";

/**
 * A page's first Tab stop, shown only when focused: jumps past the header to the first of `targets`
 * (element ids) that exists and is enabled, so keyboard users start where the work is.
 */
export function SkipLink({ targets, children }: { targets: string[]; children: React.ReactNode }) {
  return (
    <a
      href={`#${targets.at(-1)}`}
      onClick={(e) => {
        const el = targets
          .map((id) => document.getElementById(id))
          .find((t): t is HTMLElement => !!t && !(t as HTMLTextAreaElement).disabled);
        if (!el) return;
        // Focus, not only scroll: a fragment jump moves the view but leaves focus at the top.
        e.preventDefault();
        el.focus();
      }}
      className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-primary focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-primary-foreground focus:shadow-lg focus:outline-none focus:ring-2 focus:ring-ring focus:ring-offset-2"
    >
      {children}
    </a>
  );
}
