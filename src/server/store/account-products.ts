// A LinkedIn account's status may concern one product (Recruiter, Sales Navigator) and not the whole
// account (REFERENCE.md §8): such a status is kept per product on Account.productStatuses, and only
// the chats that go through that product are blocked.
import { db } from "../db.ts";

export type ProductStatus = { status: string; message: string; at: string };
export type ProductStatuses = Record<string, ProductStatus>;

const LABELS: Record<string, string> = { RECRUITER: "Recruiter", SALES_NAVIGATOR: "Sales Navigator" };

/**
 * "Recruiter", "RECRUITER", "linkedin_recruiter", "Sales Navigator", "SALES_NAVIGATOR",
 * "sales_navigator", "SalesNavigator" → RECRUITER / SALES_NAVIGATOR; another name is kept in the same
 * upper-case form (e.g. "Classic" → CLASSIC), so a product we do not know yet still is not the account.
 */
export function productKey(name: string): string | null {
  const flat = name.toUpperCase().replace(/[^A-Z]/g, "");
  if (!flat) return null;
  if (flat.includes("RECRUITER")) return "RECRUITER";
  if (flat.includes("SALESNAV")) return "SALES_NAVIGATOR";
  return name.trim().toUpperCase().replace(/[^A-Z0-9]+/g, "_").slice(0, 40) || null;
}

export function productLabel(key: string): string {
  return LABELS[key] ?? key.charAt(0) + key.slice(1).toLowerCase().replaceAll("_", " ");
}

/**
 * The product an account-status payload names, in each spelling seen: `account_status_specifics` (a
 * string, or an object with `Product`/`product`), or `Product`/`product` beside `message` (a hook
 * registered with `data` renaming account_status_specifics). Null: the status is the account's.
 */
export function productOfStatus(status: Record<string, unknown>): string | null {
  const specifics = status.account_status_specifics;
  const candidates = [
    specifics,
    specifics && typeof specifics === "object" ? (specifics as Record<string, unknown>).Product : undefined,
    specifics && typeof specifics === "object" ? (specifics as Record<string, unknown>).product : undefined,
    status.Product,
    status.product,
  ];
  for (const c of candidates) if (typeof c === "string" && c.trim()) return productKey(c);
  return null;
}

export function productStatusesOf(v: unknown): ProductStatuses {
  if (!v || typeof v !== "object" || Array.isArray(v)) return {};
  const out: ProductStatuses = {};
  for (const [k, s] of Object.entries(v as Record<string, unknown>)) {
    if (s && typeof s === "object" && typeof (s as ProductStatus).status === "string") out[k] = s as ProductStatus;
  }
  return out;
}

/**
 * The LinkedIn product a chat goes through, from its raw Unipile row: `folder` lists the mailbox
 * (`INBOX_LINKEDIN_RECRUITER`, `INBOX_LINKEDIN_SALES_NAVIGATOR`; REFERENCE.md §2.2). `content_type:
 * "inmail"` alone says nothing: a classic Premium InMail goes through no product, so it is not used.
 */
export function chatProduct(provider: string, raw: unknown): string | null {
  if (provider !== "LINKEDIN" || !raw || typeof raw !== "object") return null;
  const folder = (raw as { folder?: unknown }).folder;
  const folders = Array.isArray(folder) ? folder : typeof folder === "string" ? [folder] : [];
  if (folders.includes("INBOX_LINKEDIN_RECRUITER")) return "RECRUITER";
  if (folders.includes("INBOX_LINKEDIN_SALES_NAVIGATOR")) return "SALES_NAVIGATOR";
  return null;
}

export type ProductIssue = { product: string; label: string; status: string; message: string; sentence: string };

/** What is wrong with the product this chat goes through; null when it works (or the chat uses none). */
export function productIssue(provider: string, productStatuses: unknown, chatRaw: unknown): ProductIssue | null {
  const product = chatProduct(provider, chatRaw);
  const s = product ? productStatusesOf(productStatuses)[product] : undefined;
  if (!product || !s || s.status === "OK") return null;
  const label = productLabel(product);
  return {
    product,
    label,
    status: s.status,
    message: s.message,
    sentence: `${label} is not working on this account (${s.status.toLowerCase()}): reconnect ${label} in Unipile to reply in this chat. The account's other chats still work.`,
  };
}

/** The product issue of a stored chat (sends check it before anything is stored). */
export async function chatProductIssue(chatId: string): Promise<ProductIssue | null> {
  const chat = await db.chat.findUnique({ where: { id: chatId }, select: { raw: true, account: { select: { provider: true, productStatuses: true } } } });
  return chat ? productIssue(chat.account.provider, chat.account.productStatuses, chat.raw) : null;
}
