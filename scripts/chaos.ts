// `bun run chaos`: the link under faults, with real processes on loopback, and a table of figures.
//   1. restarts: proxy and core stopped and started alternately (--cycles, 50 by default) while a load
//      generator polls through the proxy; then each kept alive through the other's restarts (--survivor-cycles)
//   2. half-open: the proxy frozen (SIGSTOP) until the core notices, then thawed until it redials
//   3. a Core that never answers: every request 504 at the Core timeout, nothing left pending
//   4. a misbehaving peer: an oversized gRPC message, a flood of unasked-for answers
//   5. the fuzz tests (skip with --no-fuzz), whose figures are printed with the rest
import { parseArgs } from "node:util";
import { LoadGenerator } from "./chaos/load.ts";
import { printReport } from "./chaos/report.ts";
import { runRestarts } from "./chaos/restarts.ts";
import { halfOpen, misbehavingPeer, silentCore } from "./chaos/scenarios.ts";
import { seedPollingToken } from "./chaos/seed.ts";
import { CORE_TIMEOUT_MS, Stack } from "./chaos/stack.ts";
import { runFuzz } from "./chaos/fuzz.ts";

const { values: args } = parseArgs({
  options: {
    cycles: { type: "string", default: "50" },
    "survivor-cycles": { type: "string", default: "12" },
    concurrency: { type: "string", default: "4" },
    "silent-requests": { type: "string", default: "1000" },
    "flood-messages": { type: "string", default: "50000" },
    "no-fuzz": { type: "boolean", default: false },
  },
});

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  const started = performance.now();
  const stack = await Stack.create();
  let load: LoadGenerator | undefined;
  try {
    log(`chaos: proxy on ${stack.baseUrl}, database ${stack.db.kind}`);
    await stack.startProxy();
    await stack.startCore();
    await stack.coreConnected();
    const token = await seedPollingToken(stack.adminUrl, stack.baseUrl);
    load = new LoadGenerator({ url: `${stack.baseUrl}/api/v1/poll`, body: JSON.stringify({ token }), concurrency: Number(args.concurrency), coreTimeoutMs: CORE_TIMEOUT_MS });
    load.start();
    log("chaos: restarts under load");
    const restarts = await runRestarts(stack, Number(args.cycles), Number(args["survivor-cycles"]), log);
    log("chaos: half-open link");
    const half = await halfOpen(stack, load);
    await load.stop();
    log("chaos: a Core that never answers");
    const silent = await silentCore(stack, Number(args["silent-requests"]), 250);
    log("chaos: oversized message and flood");
    const peer = await misbehavingPeer(stack, Number(args["flood-messages"]));
    await stack.shutdown();
    const fuzz = args["no-fuzz"] ? undefined : await runFuzz(log);
    const ok = printReport({ load: load.figures, restarts, half, silent, peer, fuzz, totalMs: performance.now() - started, coreTimeoutMs: CORE_TIMEOUT_MS });
    return ok ? 0 : 1;
  } catch (err) {
    await load?.stop();
    await stack.shutdown().catch(() => {});
    log(`chaos: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}

process.exit(await main());
