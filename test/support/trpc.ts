// Integration tests: the real HTTP path of /api/trpc (GET queries), with the session resolved to `user`.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { SessionUser } from "@/server/access.ts";
import { appRouter } from "@/server/api/root.ts";
import { createContext } from "@/server/api/trpc.ts";

export function trpcHttp(path: string, user: SessionUser | null, input?: unknown): Promise<Response> {
  const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://localhost/api/trpc/${path}${qs}`),
    router: appRouter,
    createContext: () => createContext(user),
  });
}
