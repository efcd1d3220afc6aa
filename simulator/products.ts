// LinkedIn products (Recruiter, Sales Navigator) with a status of their own (REFERENCE.md §8): which
// chats go through one (the mailbox in `folder`), and the account-status body that names one. The
// payload spells the product in one of the three ways seen, chosen by a hash of the event so that a
// client meets all of them: `account_status_specifics` (what Unipile's docs map to `Product`),
// `Product` (a hook renaming that key) and `product` (as one integration reads it).
import { hash, type SimAccount, type SimChat } from "./data.ts";

/** RECRUITER / SALES_NAVIGATOR for "Recruiter", "Sales Navigator", "SALES_NAVIGATOR", … */
export function productKeyOf(name: string): string {
  const flat = name.toUpperCase().replace(/[^A-Z]/g, "");
  return flat.includes("RECRUITER") ? "RECRUITER" : flat.includes("SALESNAV") ? "SALES_NAVIGATOR" : flat;
}

export function productOfChat(chat: SimChat): string | null {
  if (chat.folder.includes("INBOX_LINKEDIN_RECRUITER")) return "RECRUITER";
  if (chat.folder.includes("INBOX_LINKEDIN_SALES_NAVIGATOR")) return "SALES_NAVIGATOR";
  return null;
}

export function productStatusBody(account: SimAccount, product: string, message: string): Record<string, unknown> {
  const base = { account_id: account.id, account_type: account.type, message };
  switch (hash(`${account.id}:${product}:${message}`) % 3) {
    case 0:
      return { ...base, account_status_specifics: { Product: product } };
    case 1:
      return { ...base, Product: product };
    default:
      return { ...base, product };
  }
}
