// CLI: `npm run simulator -- --port 3100 --chats 1000 --messages 50 --seed 1 --live`
// Env: SIMULATOR_PORT (default 3100), SIMULATOR_API_KEY (default printed below).
import { parseArgs } from "node:util";
import { DEFAULT_API_KEY, DEFAULT_PORT, startSimulator } from "./server.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    "api-key": { type: "string" },
    seed: { type: "string" },
    chats: { type: "string" },
    messages: { type: "string" },
    "no-demo": { type: "boolean" },
    live: { type: "boolean" },
    "live-interval": { type: "string" },
    log: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(`Usage: npm run simulator -- [--port 3100] [--host 127.0.0.1] [--api-key KEY] [--seed 1]
       [--chats N --messages M] [--no-demo] [--live] [--live-interval ms] [--log]
See simulator/README.md for the control API.`);
  process.exit(0);
}

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const t0 = Date.now();
const sim = await startSimulator({
  port: num(values.port) ?? num(process.env.SIMULATOR_PORT) ?? DEFAULT_PORT,
  host: values.host,
  apiKey: values["api-key"] ?? process.env.SIMULATOR_API_KEY ?? DEFAULT_API_KEY,
  seed: num(values.seed),
  chats: num(values.chats),
  messages: num(values.messages),
  demo: !values["no-demo"],
  live: values.live,
  liveIntervalMs: num(values["live-interval"]),
  log: values.log,
});
console.log(`Unipile simulator on ${sim.url} (ready in ${Date.now() - t0} ms)
  UNIPILE_DSN=${sim.url}
  UNIPILE_API_KEY=${sim.apiKey}
  ${sim.store.accounts.length} accounts, ${sim.store.chats.size} chats, ${sim.store.countMessages()} messages${values.live ? ", live mode on" : ""}
  Control API: ${sim.url}/_sim/state (see simulator/README.md)`);

const stop = async () => {
  await sim.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
