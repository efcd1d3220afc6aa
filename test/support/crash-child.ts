// A webhook-receiving process for the crash test: `serve` answers POST /api/webhooks/unipile with
// the webhook endpoint the route serves (prints its port, then waits to be killed); `worker` runs the webhook
// worker, as a restarted instance would. Environment: DATABASE_URL, UNIPILE_*, AUTH_SECRET.
import { createServer } from "node:http";
import { handleWebhookPost } from "@/server/webhooks/endpoint.ts";
import { startWebhookWorker } from "@/server/webhooks/worker.ts";

const mode = process.argv[2];

if (mode === "serve") {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const response = await handleWebhookPost(new Request(`http://127.0.0.1${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks) }));
    res.writeHead(response.status, { "content-type": "application/json" });
    res.end(await response.text());
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    process.stdout.write(`port=${typeof address === "object" && address ? address.port : 0}\n`);
  });
} else if (mode === "worker") {
  startWebhookWorker({ intervalMs: 200 });
  process.stdout.write("worker started\n");
} else {
  console.error("usage: crash-child.ts serve|worker");
  process.exit(2);
}
