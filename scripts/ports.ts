// The launcher's ports: each one is checked before anything starts, and "in use" names the variable to change.
import { createServer } from "node:net";

export type PortSetting = { variable: "PORT" | "SIMULATOR_PORT" | "PGLITE_PORT"; port: number; host: string };

function portInUseMessage(s: Pick<PortSetting, "variable" | "port">): string {
  return `Port ${s.port} is already in use: set ${s.variable} to a free port (in .env or the environment), or stop what is using it.`;
}

/** Resolves when the port can be listened on (then frees it at once), rejects with the node error otherwise. */
function probe(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** The message for the first port in use, or null when every port is free (port 0 means "any": always free). */
export async function firstPortInUse(settings: PortSetting[]): Promise<string | null> {
  for (const s of settings) {
    if (s.port === 0) continue;
    try {
      await probe(s.port, s.host);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") return portInUseMessage(s);
      throw err;
    }
  }
  return null;
}

/** A listen failure raised while starting (a port taken between the check and the start) → the same message. */
export function portErrorMessage(err: unknown, settings: PortSetting[]): string | null {
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (e?.code !== "EADDRINUSE") return null;
  const s = settings.find((x) => x.port === e.port) ?? settings.find((x) => e.message?.includes(`:${x.port}`));
  return s ? portInUseMessage(s) : null;
}
