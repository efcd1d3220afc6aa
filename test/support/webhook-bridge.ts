// The app's webhook route behind a real HTTP server, so the simulator's deliveries reach it exactly
// as sent (headers, raw body) and are stored and applied as in production.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { POST } from "@/app/api/webhooks/unipile/route.ts";

export async function startWebhookBridge() {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const answer = await POST(
      new Request("http://localhost/api/webhooks/unipile", { method: "POST", headers, body: Buffer.concat(chunks) }),
    );
    res.writeHead(answer.status).end(await answer.text());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    /** The base URL to register as PUBLIC_URL. */
    publicUrl: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/api/webhooks/unipile`,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
