// Which admin mutations the audit log records, and what of their input it keeps (never a password).
// Called by the admin procedure after a mutation succeeded; a mutation not listed is still recorded,
// by its name alone, so a new admin action never goes unlogged.
import type { SessionUser } from "../access.ts";
import { db } from "../db.ts";
import { type AuditKind, recordAudit } from "./audit.ts";
import { requestAddress } from "./client-address.ts";

type Input = Record<string, unknown>;
type Describe = (input: Input) => { kind: AuditKind; target?: Promise<string | null> | string | null; details?: Record<string, string | boolean | string[]> };

const str = (v: unknown) => (typeof v === "string" ? v : "");
const userEmail = async (id: unknown) =>
  typeof id === "string" ? ((await db.user.findUnique({ where: { id }, select: { email: true } }))?.email ?? id) : null;

const described: Record<string, Describe> = {
  "user.add": (i) => ({
    kind: "user.add",
    target: str(i.email).toLowerCase(),
    details: { role: str(i.role) || "agent", accountIds: Array.isArray(i.accountIds) ? i.accountIds.map(String) : [] },
  }),
  "user.setDisabled": (i) => ({ kind: "user.disabled", target: userEmail(i.userId), details: { disabled: i.disabled === true } }),
  "user.setRole": (i) => ({ kind: "user.role", target: userEmail(i.userId), details: { role: str(i.role) } }),
  "user.resetPassword": (i) => ({ kind: "user.password", target: userEmail(i.userId) }),
  "user.grant": (i) => ({ kind: "user.grant", target: userEmail(i.userId), details: { accountId: str(i.accountId) } }),
  "user.revoke": (i) => ({ kind: "user.revoke", target: userEmail(i.userId), details: { accountId: str(i.accountId) } }),
  "webhook.replay": (i) => ({ kind: "webhook.replay", target: str(i.id) }),
  "security.unlock": (i) => ({ kind: "auth.unlock", target: str(i.email).toLowerCase() }),
  "security.endSessions": (i) => ({ kind: "auth.sign_out_everywhere", target: userEmail(i.userId) }),
};

export async function auditAdminMutation(path: string, user: SessionUser, rawInput: unknown): Promise<void> {
  const input = rawInput && typeof rawInput === "object" ? (rawInput as Input) : {};
  const d = described[path]?.(input) ?? { kind: `admin.${path}` };
  await recordAudit({
    kind: d.kind,
    actor: { id: user.id, email: user.email },
    address: await requestAddress(),
    target: (await d.target) ?? null,
    details: d.details,
  });
}
