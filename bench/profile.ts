// Which data set a benchmark runs on: the full one (100k chats, 3M messages), `--quick`'s small one,
// or either with counts overridden (`--chats 20000 --messages 500000`). Also `--iterations N`.
import { parseArgs } from "node:util";
import { type BenchParams, PROFILES } from "../test/support/bench-data.ts";

export function benchProfile(argv = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: {
      quick: { type: "boolean" },
      chats: { type: "string" },
      messages: { type: "string" },
      attachments: { type: "string" },
      people: { type: "string" },
      iterations: { type: "string" },
    },
  });
  const quick = values.quick === true;
  const base: BenchParams = quick ? PROFILES.quick : PROFILES.full;
  const num = (v: unknown, d: number) => (typeof v === "string" && v ? Number(v) : d);
  const params: BenchParams = {
    chats: num(values.chats, base.chats),
    messages: num(values.messages, base.messages),
    attachments: num(values.attachments, base.attachments),
    people: num(values.people, base.people),
    longThread: base.longThread,
  };
  const custom = JSON.stringify(params) !== JSON.stringify(base);
  return { profile: custom ? "custom" : quick ? "quick" : "full", params, quick, iterations: num(values.iterations, quick ? 10 : 100) };
}
