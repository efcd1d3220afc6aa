// The load generator of bench/webhooks.bench.ts, run in a worker thread (plain JS: workers do not get
// tsx's loader): `senders` keep-alive connections, each posting the next delivery once its answer came.
// node:http rather than fetch, so the generator costs the machine as little as it can (wrk-like).
import http from "node:http";
import { parentPort, workerData } from "node:worker_threads";

const { url, secret, deliveries, senders } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: senders });
const post = (body) =>
  new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: "POST",
      agent,
      headers: { "X-Webhook-Secret": secret, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", reject);
    req.end(body);
  });

const acks = [];
let bad = 0;
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: senders }, async () => {
    while (next < deliveries.length) {
      const body = deliveries[next++];
      const t0 = performance.now();
      const status = await post(body);
      acks.push(performance.now() - t0);
      if (status !== 200) bad++;
    }
  }),
);
agent.destroy();
parentPort.postMessage({ acks, bad, seconds: (performance.now() - started) / 1000 });
