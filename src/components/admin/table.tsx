// The admin pages' tables: one look for every list (header row, bordered rows), stacked on a phone.
import type { ReactNode } from "react";
import { cn } from "@/lib/utils";

// Admin tables on a phone: each row becomes a stacked card of its cells (header kept for screen
// readers), so nothing is cut off at the right edge and no sideways scrolling is needed.
export const stackOnPhone =
  "max-sm:block max-sm:[&_thead]:sr-only max-sm:[&_tbody]:block max-sm:[&_tr]:flex max-sm:[&_tr]:flex-col max-sm:[&_tr]:items-start max-sm:[&_tr]:gap-1.5 max-sm:[&_tr]:py-3 max-sm:[&_td]:block max-sm:[&_td]:max-w-none max-sm:[&_td]:p-0 max-sm:[&_td]:text-left";

/** A column heading; `{ srOnly }` names a column for screen readers only (a column of buttons). */
type Column = string | { srOnly: string };

export function AdminTable({ label, columns, children }: { label: string; columns: Column[]; children: ReactNode }) {
  return (
    <table className={cn("w-full text-sm", stackOnPhone)} aria-label={label}>
      <thead className="text-left text-muted-foreground">
        <tr>
          {columns.map((c, i) => (
            <th key={typeof c === "string" ? c : c.srOnly} className={cn("py-2 font-medium", i < columns.length - 1 && "pr-4")}>
              {typeof c === "string" ? c : <span className="sr-only">{c.srOnly}</span>}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
