"use client";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { providerInfo } from "@/components/inbox/format";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/trpc/react";
import { PasswordField } from "./password-field";
import { ResetPasswordDialog } from "./reset-password-dialog";
import { AdminTable } from "./table";

/** Toast the outcome and refresh the user list after any user mutation. */
function useUserCallbacks(success: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return {
    onSuccess: () => {
      toast.success(success);
      return queryClient.invalidateQueries({ queryKey: trpc.user.list.queryKey() });
    },
    onError: (err: unknown) => toast.error(errorMessage(err)),
  };
}

export function UserAdmin() {
  const trpc = useTRPC();
  const { data: users } = useSuspenseQuery(trpc.user.list.queryOptions());
  const { data: accounts } = useSuspenseQuery(trpc.account.list.queryOptions());
  const setRole = useMutation(trpc.user.setRole.mutationOptions(useUserCallbacks("Role changed")));
  const setDisabled = useMutation(trpc.user.setDisabled.mutationOptions(useUserCallbacks("User updated")));
  const grant = useMutation(trpc.user.grant.mutationOptions(useUserCallbacks("Access granted")));
  const revoke = useMutation(trpc.user.revoke.mutationOptions(useUserCallbacks("Access revoked")));
  const unlock = useMutation(trpc.security.unlock.mutationOptions(useUserCallbacks("Sign-in unlocked")));
  const endSessions = useMutation(trpc.security.endSessions.mutationOptions(useUserCallbacks("Sessions ended: signed out everywhere")));

  return (
    <div className="flex flex-col gap-6">
      <AddUser accounts={accounts} />
      <Card>
        <CardHeader>
          <CardTitle>Users</CardTitle>
          <CardDescription>Admins see every account. Agents see only the accounts granted to them.</CardDescription>
        </CardHeader>
        <CardContent className="overflow-x-auto">
          <AdminTable label="Users" columns={["User", "Role", "Accounts", "Actions"]}>
            {users.map((u) => {
              const granted = new Set(u.grants.map((g) => g.accountId));
              return (
                <tr key={u.id} className="border-t align-top" data-testid={`user-row-${u.email}`}>
                  <td className="py-3 pr-4">
                    <div className="font-medium">{u.email}</div>
                    {u.name && <div className="text-muted-foreground">{u.name}</div>}
                    {u.disabled && <Badge variant="destructive">disabled</Badge>}
                  </td>
                  <td className="py-3 pr-4">
                    <select
                      aria-label={`Role of ${u.email}`}
                      className="rounded-md border bg-background px-2 py-1"
                      value={u.role}
                      onChange={(e) => setRole.mutate({ userId: u.id, role: e.target.value as "admin" | "agent" })}
                    >
                      <option value="agent">agent</option>
                      <option value="admin">admin</option>
                    </select>
                  </td>
                  <td className="py-3 pr-4">
                    {u.role === "admin" ? (
                      <span className="text-muted-foreground">all accounts</span>
                    ) : accounts.length === 0 ? (
                      <span className="text-muted-foreground">no accounts yet</span>
                    ) : (
                      <div className="flex flex-col gap-1">
                        {accounts.map((a) => (
                          <label key={a.id} className="flex items-center gap-2">
                            <input
                              type="checkbox"
                              checked={granted.has(a.id)}
                              aria-label={`${u.email} can see ${a.name}`}
                              onChange={(e) =>
                                (e.target.checked ? grant : revoke).mutate({ userId: u.id, accountId: a.id })
                              }
                            />
                            <AccountName account={a} />
                          </label>
                        ))}
                      </div>
                    )}
                  </td>
                  <td className="py-3">
                    <div className="flex flex-wrap gap-2">
                      <Button size="sm" variant="outline" onClick={() => setDisabled.mutate({ userId: u.id, disabled: !u.disabled })}>
                        {u.disabled ? "Enable" : "Disable"}
                      </Button>
                      <ResetPasswordDialog user={u} />
                      <Button size="sm" variant="outline" onClick={() => unlock.mutate({ email: u.email })}>
                        Unlock sign-in
                      </Button>
                      <Button size="sm" variant="outline" onClick={() => endSessions.mutate({ userId: u.id })}>
                        End sessions
                      </Button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </AdminTable>
        </CardContent>
      </Card>
    </div>
  );
}

type Account = { id: string; name: string; provider: string };

/** Two accounts may carry the same person's name (her LinkedIn and her WhatsApp): say which is which. */
function AccountName({ account }: { account: Account }) {
  return (
    <span>
      {account.name} <span className="text-muted-foreground">({providerInfo(account.provider).label})</span>
    </span>
  );
}

function AddUser({ accounts }: { accounts: Account[] }) {
  const trpc = useTRPC();
  const add = useMutation(trpc.user.add.mutationOptions(useUserCallbacks("User added")));
  const [role, setRole] = useState<"admin" | "agent">("agent");
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    add.mutate({
      email: String(form.get("email")),
      name: String(form.get("name") || "") || undefined,
      password: String(form.get("password")),
      role,
      accountIds: form.getAll("accountIds").map(String),
    });
    e.currentTarget.reset();
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>Add a user</CardTitle>
      </CardHeader>
      <CardContent>
        <form onSubmit={submit} className="grid gap-3 sm:grid-cols-2">
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="new-email">Email</Label>
            <Input id="new-email" name="email" type="email" required />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="new-name">Name</Label>
            <Input id="new-name" name="name" />
          </div>
          <PasswordField id="new-password" />
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="new-role">Role</Label>
            <select
              id="new-role"
              className="h-9 rounded-md border bg-background px-2"
              value={role}
              onChange={(e) => setRole(e.target.value as "admin" | "agent")}
            >
              <option value="agent">agent</option>
              <option value="admin">admin</option>
            </select>
          </div>
          {role === "agent" && accounts.length > 0 && (
            <fieldset className="sm:col-span-2">
              <legend className="mb-1 text-sm font-medium">Accounts</legend>
              <div className="flex flex-wrap gap-3 text-sm">
                {accounts.map((a) => (
                  <label key={a.id} className="flex items-center gap-1.5">
                    <input type="checkbox" name="accountIds" value={a.id} /> <AccountName account={a} />
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          <div className="sm:col-span-2">
            <Button type="submit" disabled={add.isPending}>
              Add user
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
