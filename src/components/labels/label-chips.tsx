// Labels as small coloured chips (list rows, the thread header, the contact panel).
import { labelColorClass } from "@/lib/label-colors";
import { cn } from "@/lib/utils";

export type ChipLabel = { id: string; name: string; color: string };

export function LabelChip({ label, className }: { label: ChipLabel; className?: string }) {
  return (
    <span
      className={cn(
        "inline-flex max-w-28 shrink-0 items-center truncate rounded-full px-1.5 text-[11px] leading-4 font-medium ring-1 ring-inset",
        labelColorClass(label.color),
        className,
      )}
      data-testid="label-chip"
      title={label.name}
      dir="auto"
    >
      {label.name}
    </span>
  );
}

/** Up to `max` chips, then "+N" for the rest (rows have room for two). */
export function LabelChips({ labels, max = 2, className }: { labels: ChipLabel[]; max?: number; className?: string }) {
  if (labels.length === 0) return null;
  const rest = labels.length - max;
  return (
    <span className={cn("flex min-w-0 items-center gap-1", className)}>
      {labels.slice(0, max).map((l) => (
        <LabelChip key={l.id} label={l} />
      ))}
      {rest > 0 && <span className="shrink-0 text-[11px] text-muted-foreground">+{rest}</span>}
    </span>
  );
}
