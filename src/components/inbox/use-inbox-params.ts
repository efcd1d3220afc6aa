"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { parseInboxParams } from "./inbox-params";

export type { InboxParams } from "./inbox-params";

type Patch = Partial<Record<"chat" | "msg" | "unread" | "account" | "provider" | "kind" | "q" | "from" | "to" | "in" | "assignee" | "state", string | null>>;

export function useInboxParams() {
  const sp = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const params = useMemo(() => parseInboxParams(new URLSearchParams(sp.toString())), [sp]);
  const update = useCallback(
    (patch: Patch, opts: { push?: boolean } = {}) => {
      const next = new URLSearchParams(window.location.search);
      for (const [k, v] of Object.entries(patch)) {
        if (v === null || v === undefined || v === "") next.delete(k);
        else next.set(k, v);
      }
      const qs = next.toString();
      const url = `${pathname}${qs ? `?${qs}` : ""}`;
      if (opts.push) router.push(url, { scroll: false });
      else router.replace(url, { scroll: false });
    },
    [router, pathname],
  );
  return { params, update };
}
