// LinkedIn products (Recruiter, Sales Navigator) with a status of their own (REFERENCE.md §8): which
// chats go through one (the mailbox in `folder`), and the account-status body that names one. The
// payload spells the product in one of the three ways seen, chosen by a hash of the event so that a
// client meets all of them: `account_status_specifics` (what Unipile's docs map to `Product`),
// `Product` (a hook renaming that key) and `product` (as one integration reads it).
import { hash, type SimAccount, type SimChat, type SourceStatus } from "./data.ts";
import { ApiError } from "./http.ts";
import type { WebhookDispatcher } from "./webhooks.ts";

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

/** Sets one product's status; its event (on a change, or when a message is given) goes to `hooks` (none while replaying). */
export function setProductStatus(account: SimAccount, product: string, status: SourceStatus, message: string | undefined, hooks: WebhookDispatcher | undefined) {
  const before = account.products?.[product] ?? "OK";
  account.products = { ...account.products, [product]: status };
  if (hooks && (before !== status || message))
    hooks.dispatch("account_status", message ?? status, { AccountStatus: productStatusBody(account, product, message ?? status) }, account.id);
}

/** A send in a chat through a product that is not OK is refused, as the account's own status would. */
export function assertProductUp(account: SimAccount, chat: SimChat) {
  const product = productOfChat(chat);
  const down = product && Object.entries(account.products ?? {}).find(([name, s]) => s !== "OK" && productKeyOf(name) === product);
  if (down) throw ApiError.of(401, `${down[0]} is ${down[1]} on this account; reconnect it.`, "errors/disconnected_account");
}
