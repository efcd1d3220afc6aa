// Users, roles and per-account grants.
import { z } from "zod";
import { db } from "../db.ts";
import { AppError } from "../errors.ts";
import { hashPassword } from "../passwords.ts";
import { endUserSessions } from "../security/sessions.ts";

export const roleSchema = z.enum(["admin", "agent"]);
export const newUserSchema = z.object({
  email: z.email().transform((e) => e.toLowerCase()),
  name: z.string().trim().max(120).optional(),
  password: z.string().min(8, "Password must be at least 8 characters").max(200),
  role: roleSchema.default("agent"),
  accountIds: z.array(z.string()).default([]),
});
export type NewUser = z.input<typeof newUserSchema>;

const userSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabled: true,
  createdAt: true,
  grants: { select: { accountId: true } },
} as const;

export async function createUser(input: NewUser) {
  const data = newUserSchema.parse(input);
  const existing = await db.user.findUnique({ where: { email: data.email }, select: { id: true } });
  if (existing) throw new AppError("CONFLICT", `A user with email ${data.email} already exists`);
  return db.user.create({
    data: {
      email: data.email,
      name: data.name || null,
      role: data.role,
      passwordHash: await hashPassword(data.password),
      grants: { create: data.accountIds.map((accountId) => ({ accountId })) },
    },
    select: userSelect,
  });
}

export function listUsers() {
  return db.user.findMany({ orderBy: { email: "asc" }, select: userSelect });
}

async function update(id: string, data: Parameters<typeof db.user.update>[0]["data"]) {
  const user = await db.user.findUnique({ where: { id }, select: { id: true } });
  if (!user) throw new AppError("NOT_FOUND", "User not found");
  return db.user.update({ where: { id }, data, select: userSelect });
}

export const setUserDisabled = (id: string, disabled: boolean) => update(id, { disabled });
export const setUserRole = (id: string, role: z.infer<typeof roleSchema>) => update(id, { role });
export async function resetPassword(id: string, password: string) {
  const user = await update(id, { passwordHash: await hashPassword(password) });
  await endUserSessions(id); // a copied cookie must not outlive the old password
  return user;
}

export async function grantAccount(userId: string, accountId: string) {
  await db.accountGrant.upsert({
    where: { userId_accountId: { userId, accountId } },
    create: { userId, accountId },
    update: {},
  });
}

export async function revokeAccount(userId: string, accountId: string) {
  await db.accountGrant.deleteMany({ where: { userId, accountId } });
}

/** An admin must not lock everyone out: refuse to demote or disable the last active admin. */
export async function assertNotLastAdmin(userId: string) {
  const admins = await db.user.count({ where: { role: "admin", disabled: false, id: { not: userId } } });
  if (admins === 0) throw new AppError("CONFLICT", "This is the last active admin");
}
