// Users, roles and per-account grants. An admin can never lock everyone out: the last active
// admin cannot be demoted or disabled.
import { z } from "zod";
import { Prisma } from "@/generated/prisma/client.ts";
import { db } from "../db.ts";
import { AppError } from "../errors.ts";
import { hashPassword } from "../passwords.ts";
import { publishChatsUpdated } from "../realtime/bus.ts";
import { endUserSessions } from "../security/sessions.ts";
import { releaseAssignments } from "./team-service.ts";

export const roleSchema = z.enum(["admin", "agent"]);
export const passwordSchema = z.string().min(8, "Password must be at least 8 characters").max(200, "Passwords are limited to 200 characters");
export const newUserSchema = z.object({
  email: z.email().transform((e) => e.toLowerCase()),
  name: z.string().trim().max(120).optional(),
  password: passwordSchema,
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

/**
 * Changes what makes a user an active admin, refusing to leave none. The active admins' rows are
 * locked first (FOR UPDATE), so two concurrent demotions of the last two admins run one after the
 * other and the second sees the first: it cannot pass on a count that is no longer true.
 */
async function updateAdminStanding(
  id: string,
  data: { role?: z.infer<typeof roleSchema>; disabled?: boolean },
  actorId: string | null,
) {
  const { user, released } = await db.$transaction(async (tx) => {
    const admins = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "User" WHERE "role" = 'admin' AND "disabled" = false ORDER BY "id" FOR UPDATE`;
    if (!(await tx.user.findUnique({ where: { id }, select: { id: true } }))) throw new AppError("NOT_FOUND", "User not found");
    const stopsBeingAdmin = admins.some((a) => a.id === id) && (data.role === "agent" || data.disabled === true);
    if (stopsBeingAdmin && admins.length <= 1) {
      throw new AppError("CONFLICT", "This is the last active admin. Make another user an admin first.");
    }
    const user = await tx.user.update({ where: { id }, data, select: userSelect });
    const reason = data.disabled ? "disabled" : data.role === "agent" ? "made an agent" : null;
    return { user, released: reason ? await releaseAssignments(tx, id, actorId, reason) : [] };
  });
  await publishChatsUpdated(released);
  return user;
}

/** Disabling a user also unassigns their chats; making an admin an agent, those on accounts not granted to them. */
export const setUserDisabled = (id: string, disabled: boolean, actorId: string | null = null) =>
  updateAdminStanding(id, { disabled }, actorId);
export const setUserRole = (id: string, role: z.infer<typeof roleSchema>, actorId: string | null = null) =>
  updateAdminStanding(id, { role }, actorId);
export async function resetPassword(id: string, password: string) {
  const user = await update(id, { passwordHash: await hashPassword(passwordSchema.parse(password)) });
  await endUserSessions(id); // a copied cookie must not outlive the old password
  return user;
}

export async function grantAccount(userId: string, accountId: string) {
  try {
    await db.accountGrant.upsert({
      where: { userId_accountId: { userId, accountId } },
      create: { userId, accountId },
      update: {},
    });
  } catch (err) {
    // The foreign keys decide whether both exist (no check-then-insert race).
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2003") {
      throw new AppError("NOT_FOUND", "There is no such user or account. Reload the page.", { cause: err });
    }
    throw err;
  }
}

/** Ends a grant; the person's assignments on that account are cleared and logged with the admin as actor. */
export async function revokeAccount(userId: string, accountId: string, actorId: string | null = null) {
  const released = await db.$transaction(async (tx) => {
    await tx.accountGrant.deleteMany({ where: { userId, accountId } });
    return releaseAssignments(tx, userId, actorId, "access revoked");
  });
  await publishChatsUpdated(released);
}
