// UNIPILE_DSN → the API's base URL. Its own module so env.ts validates the DSN with the same rule the client uses.

/** "api8.unipile.com:13851" (https assumed) or a full http(s) URL → "https://api8.unipile.com:13851/api/v1". */
export function parseDsn(dsn: string): string {
  const trimmed = dsn.trim();
  if (!trimmed) throw new Error("UNIPILE_DSN is empty");
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`UNIPILE_DSN is not a host:port or URL: ${dsn}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`UNIPILE_DSN must be http(s): ${dsn}`);
  const path = url.pathname.replace(/\/+$/, "").replace(/\/api\/v1$/, "");
  return `${url.origin}${path}/api/v1`;
}
