import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { currentUser } from "@/server/auth";

export const dynamic = "force-dynamic";

const handler = async (req: Request) => {
  const started = performance.now();
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => createContext(await currentUser()),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error);
    },
  });
  // The handler's own time (session, procedure, serialisation; a stream's until it starts): what the
  // browser's devtools and bench/reads.bench.ts set beside the time the whole request took.
  res.headers.set("Server-Timing", `app;dur=${(performance.now() - started).toFixed(2)}`);
  return res;
};

export { handler as GET, handler as POST };
