// The security headers of every response, set by next.config.mjs's headers() (static, no per-request
// work). Pages also get a Content-Security-Policy with a per-request nonce from the proxy (src/proxy.ts).
export const SECURITY_HEADERS = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
};
