// Integration tests: the real HTTP path of /api/trpc (GET queries, POST mutations), with the session
// resolved to `user`.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { SessionUser } from "@/server/access.ts";
import { appRouter } from "@/server/api/root.ts";
import { createContext } from "@/server/api/trpc.ts";

export function trpcHttp(path: string, user: SessionUser | null, input?: unknown, method: "GET" | "POST" = "GET"): Promise<Response> {
  const body = input === undefined ? undefined : JSON.stringify({ json: input });
  const qs = method === "GET" && body !== undefined ? `?input=${encodeURIComponent(body)}` : "";
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://localhost/api/trpc/${path}${qs}`, {
      method,
      ...(method === "POST" ? { body: body ?? "{}", headers: { "content-type": "application/json" } } : {}),
    }),
    router: appRouter,
    createContext: () => createContext(user),
  });
}
