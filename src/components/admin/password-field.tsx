import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** The rule the server enforces (user router: 8–200 characters), checked by the browser first. */
const PASSWORD_MIN = 8;
const PASSWORD_MAX = 200;

/** A new password, with the same validation wherever one is set (add user, reset password). */
export function PasswordField({ id, autoFocus }: { id: string; autoFocus?: boolean }) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>Password</Label>
      <Input
        id={id}
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={PASSWORD_MIN}
        maxLength={PASSWORD_MAX}
        required
        autoFocus={autoFocus}
        aria-describedby={`${id}-hint`}
      />
      <p id={`${id}-hint`} className="text-xs text-muted-foreground">
        At least {PASSWORD_MIN} characters.
      </p>
    </div>
  );
}
