// What the reads and browser benchmarks share: the PostgreSQL server, the generated data set of this
// run's profile (reused when it exists), this process pointed at it, and its admin and agent.
import { BENCH_USERS, ensureBenchDataset } from "../test/support/bench-data.ts";
import { openMigratedDatabase } from "../test/support/db.ts";
import { benchServer } from "./postgres.ts";
import { benchProfile } from "./profile.ts";

export const log = (line: string) => console.error(line);

export async function openBenchDataset() {
  const run = benchProfile();
  const server = await benchServer();
  const createUsers = async (url: string) => {
    await openMigratedDatabase(url, false);
    const { createUser } = await import("../src/server/services/user-service.ts");
    const a = await createUser({ ...BENCH_USERS.admin, role: "admin" });
    const g = await createUser({ ...BENCH_USERS.agent, role: "agent" });
    return { adminId: a.id, agentId: g.id };
  };
  const dataset = await ensureBenchDataset(server.url, run.profile, run.params, createUsers, log);
  await openMigratedDatabase(dataset.url, false);
  const { db } = await import("../src/server/db.ts");
  const user = async (email: string, role: "admin" | "agent") => {
    const u = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true, email: true } });
    return { id: u.id, email: u.email, name: null, role };
  };
  return {
    ...run,
    server,
    dataset,
    admin: await user(BENCH_USERS.admin.email, "admin"),
    agent: await user(BENCH_USERS.agent.email, "agent"),
  };
}
