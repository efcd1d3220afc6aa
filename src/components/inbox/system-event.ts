// What a system message says. Unipile sends an event type (names from its SDK) and often no text;
// the event's sender is the person it is about (who was added, who left).
import type { ThreadMessage } from "./thread-types";

const firstName = (name: string) => name.trim().split(/\s+/)[0] || name;

export function systemEventText(m: Pick<ThreadMessage, "text" | "eventType" | "senderName" | "isSender">): string {
  if (m.text?.trim()) return m.text;
  const who = m.isSender ? "You" : firstName(m.senderName);
  const was = m.isSender ? "were" : "was";
  switch (m.eventType) {
    case 1:
    case 2:
      return `${who} reacted`;
    case 3:
      return "Group created";
    case 4:
      return `${who} changed the group name`;
    case 5:
      return `${who} ${was} added`;
    case 6:
      return `${who} ${was} removed`;
    case 7:
      return `${who} left`;
    case 8:
      return "Missed call";
    case 9:
      return "Missed video call";
    default:
      return "Chat updated";
  }
}
