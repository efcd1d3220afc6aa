import { X } from "lucide-react";
import { Dialog } from "radix-ui";

/** The × in a dialog's top-right corner (the dialog's content is `relative`). */
export function DialogCloseX() {
  return (
    <Dialog.Close className="absolute top-3 right-3 rounded p-1 hover:bg-accent" aria-label="Close">
      <X className="size-4" />
    </Dialog.Close>
  );
}
