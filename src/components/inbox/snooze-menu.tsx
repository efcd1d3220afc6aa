"use client";
// The snooze menu: later today, tomorrow morning, next week, until they reply, or a date and time
// (to the second). Used by the thread's work bar and the bulk bar; `s` opens it.
import { AlarmClock } from "lucide-react";
import { Popover } from "radix-ui";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { SnoozeChoice } from "./use-team-actions";

const MORNING = 9;

function at(d: Date, hours: number) {
  const x = new Date(d);
  x.setHours(hours, 0, 0, 0);
  return x;
}

/** The preset times, computed when the menu opens (local time). */
export function snoozePresets(now = new Date()): { label: string; until: Date }[] {
  const tomorrow = at(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1), MORNING);
  const daysToMonday = (8 - now.getDay()) % 7 || 7;
  const nextWeek = at(new Date(now.getFullYear(), now.getMonth(), now.getDate() + daysToMonday), MORNING);
  const later = new Date(now.getTime() + 3 * 3600_000);
  const presets = [
    { label: "Tomorrow", until: tomorrow },
    { label: "Next week", until: nextWeek },
  ];
  // "Later today" only while three hours from now is still today.
  return later.getDate() === now.getDate() ? [{ label: "Later today", until: later }, ...presets] : presets;
}

const timeText = (d: Date) => d.toLocaleString(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit" });

/** A datetime-local value (local time, seconds) for a Date. */
function localValue(d: Date) {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function SnoozeMenu({
  open,
  onOpenChange,
  onSnooze,
  disabled,
  compact,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSnooze: (s: SnoozeChoice) => void;
  disabled?: boolean;
  compact?: boolean;
}) {
  const [custom, setCustom] = useState("");
  const [now, setNow] = useState(() => new Date());
  const pick = (s: SnoozeChoice) => {
    onOpenChange(false);
    onSnooze(s);
  };
  const customDate = custom ? new Date(custom) : null;
  const customOk = !!customDate && !Number.isNaN(customDate.getTime()) && customDate.getTime() > Date.now();
  return (
    <Popover.Root
      open={open}
      onOpenChange={(o) => {
        if (o) setNow(new Date());
        onOpenChange(o);
      }}
    >
      <Popover.Trigger asChild>
        <Button variant="ghost" size="sm" disabled={disabled} title="Snooze (s)" aria-label={compact ? "Snooze" : undefined}>
          <AlarmClock />
          <span className={compact ? "sr-only" : "hidden sm:inline"}>Snooze</span>
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={4}
          aria-label="Snooze until"
          className="z-50 w-64 rounded-lg border bg-popover p-1 text-popover-foreground shadow-lg"
        >
          <ul className="flex flex-col">
            {snoozePresets(now).map((p) => (
              <li key={p.label}>
                <button
                  type="button"
                  className="flex w-full items-center justify-between rounded px-2 py-1.5 text-left text-sm hover:bg-accent focus-visible:bg-accent focus-visible:outline-none"
                  onClick={() => pick({ until: p.until, untilReply: false })}
                >
                  <span>{p.label}</span>
                  <span className="text-xs text-muted-foreground">{timeText(p.until)}</span>
                </button>
              </li>
            ))}
            <li>
              <button
                type="button"
                className="w-full rounded px-2 py-1.5 text-left text-sm hover:bg-accent focus-visible:bg-accent focus-visible:outline-none"
                onClick={() => pick({ until: null, untilReply: true })}
              >
                Until they reply
              </button>
            </li>
          </ul>
          <form
            className="mt-1 flex flex-col gap-1.5 border-t p-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (customOk && customDate) pick({ until: customDate, untilReply: false });
            }}
          >
            <label htmlFor="snooze-at" className="text-xs font-medium">
              A date and time
            </label>
            <input
              id="snooze-at"
              type="datetime-local"
              step={1}
              min={localValue(now)}
              value={custom}
              onChange={(e) => setCustom(e.target.value)}
              className="h-8 rounded-md border border-input bg-background px-2 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
            />
            <Button type="submit" size="sm" disabled={!customOk}>
              Snooze until then
            </Button>
          </form>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
