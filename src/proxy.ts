// The pages' Content-Security-Policy (Next 16's proxy, formerly middleware), whose scripts need this
// request's nonce: Next adds it to its own scripts when it finds the policy on the request, and the
// root layout adds it to the inline theme script.
import { type NextRequest, NextResponse } from "next/server";
import { refuseOversizedAction } from "./server/actions/body-limit.ts";

export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts the nonced ones load are trusted too; dev's hot reload needs eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React's style attributes and the toaster's injected styles.
    "style-src 'self' 'unsafe-inline'",
    // Avatars and attachments come through our own routes; the favicon badge and image viewer use data:/blob:.
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const tooLarge = refuseOversizedAction(request);
  if (tooLarge) return tooLarge;
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  // Static assets are content-hashed files of our own build, and API routes answer JSON, files and
  // streams (no scripts to nonce): no per-request work for them. Their static headers: next.config.mjs.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/).*)"],
};
