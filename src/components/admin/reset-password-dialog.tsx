"use client";
// Reset a user's password in a dialog (not window.prompt): the same field and validation as
// "Add a user"; the dialog stays open with the reason when the server refuses.
import { useMutation } from "@tanstack/react-query";
import { Dialog } from "radix-ui";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/trpc/react";
import { PasswordField } from "./password-field";
import { DialogCloseX } from "@/components/ui/dialog-close";

export function ResetPasswordDialog({ user }: { user: { id: string; email: string } }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const reset = useMutation(
    trpc.user.resetPassword.mutationOptions({
      onSuccess: () => {
        toast.success(`Password of ${user.email} reset`);
        setOpen(false);
      },
    }),
  );
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    reset.mutate({ userId: user.id, password: String(new FormData(e.currentTarget).get("password")) });
  }
  const fieldId = `reset-password-${user.id}`;
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) reset.reset();
      }}
    >
      <Dialog.Trigger asChild>
        <Button size="sm" variant="outline">
          Reset password
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 w-[min(26rem,92vw)] -translate-x-1/2 -translate-y-1/2 rounded-xl border bg-popover p-5 text-popover-foreground shadow-lg">
          <Dialog.Title className="font-semibold">Reset password</Dialog.Title>
          <Dialog.Description className="mt-1 mb-4 text-sm text-muted-foreground">
            A new password for {user.email}. Tell them yourself; Parley sends no email.
          </Dialog.Description>
          <form onSubmit={submit} className="flex flex-col gap-4">
            <PasswordField id={fieldId} autoFocus />
            {reset.error && (
              <p role="alert" className="text-sm text-destructive">
                {errorMessage(reset.error)}
              </p>
            )}
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button type="button" variant="outline">
                  Cancel
                </Button>
              </Dialog.Close>
              <Button type="submit" disabled={reset.isPending}>
                {reset.isPending ? "Saving…" : "Set password"}
              </Button>
            </div>
          </form>
          <DialogCloseX />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
