// The one place the thread shows a failure to a person, so swapping in the app-wide error helper
// (src/lib/error-message.ts) is a one-line change.
import { toast } from "sonner";

export function showError(message: string, description?: string) {
  toast.error(message, description ? { description } : undefined);
}
