"use client";
// Which list rows are selected for a bulk action: click a checkbox to toggle one, shift-click to take
// the range from the last one clicked, x / shift+arrows from the keyboard. Cleared when the view changes.
import { useCallback, useEffect, useRef, useState } from "react";

export function useChatSelection(ids: string[], viewKey: string) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new view (its key) starts with nothing selected
  useEffect(() => {
    setSelected(new Set());
    anchor.current = null;
  }, [viewKey]);

  /** Toggles one row; with `range`, selects everything from the last toggled row to this one. */
  const toggle = useCallback(
    (id: string, range = false) => {
      // Read the anchor now: React may run the updater below after the anchor has moved to this row.
      const from = anchor.current ? ids.indexOf(anchor.current) : -1;
      const to = ids.indexOf(id);
      anchor.current = id;
      setSelected((prev) => {
        const next = new Set(prev);
        if (range && from >= 0 && to >= 0) {
          for (let i = Math.min(from, to); i <= Math.max(from, to); i++) next.add(ids[i]!);
        } else if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      });
    },
    [ids],
  );

  /** Adds a row without toggling (shift+arrows grow the selection as the cursor moves). */
  const add = useCallback((id: string) => {
    setSelected((prev) => (prev.has(id) ? prev : new Set(prev).add(id)));
    anchor.current = id;
  }, []);

  const clear = useCallback(() => setSelected(new Set()), []);
  // Rows that left the list (done elsewhere, another view) are no longer selected.
  const visible = ids.filter((id) => selected.has(id));
  return { selected, ids: visible, toggle, add, clear };
}
