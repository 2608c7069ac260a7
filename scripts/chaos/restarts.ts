// Restart cycles under load: the proxy and the core stopped (SIGTERM) and started again as real
// processes, alternately; then each one kept alive while the other restarts many times, so that a leak
// in the survivor (memory, descriptors) would show between its first and last sample.
import { STABLE_CONNECTION_MS } from "../../shared/backoff.ts";
import { type ProcessSample, type Stack, sample } from "./stack.ts";

/** Load runs this long after each restart before the next one, so requests cross every phase. */
const SETTLE_MS = 250;
/**
 * In the phase where the core lives through proxy restarts, each connection is left up this long, so
 * that the core's backoff starts afresh (by design it keeps growing, to its 10 s cap, while connections
 * end younger than STABLE_CONNECTION_MS): the reconnect times measured are a single restart's.
 */
const STABLE_SETTLE_MS = STABLE_CONNECTION_MS + 200;

export interface RestartFigures {
  proxyRestarts: number;
  coreRestarts: number;
  /** Proxy listening again -> core connected again, per proxy restart of the alternating cycles. */
  reconnectAfterProxyMs: number[];
  /** The same, for restarts of a proxy whose link had been up for STABLE_CONNECTION_MS. */
  reconnectAfterStableMs: number[];
  /** Core process spawned -> connected, per core restart. */
  coreUpMs: number[];
  /** Each process at the same point of its first and its last incarnation of the alternating cycles. */
  incarnations: { proxy: [ProcessSample, ProcessSample]; core: [ProcessSample, ProcessSample] };
  /** The process that lived through the other's restarts: at the start and at the end of that phase. */
  survivor: { proxy: [ProcessSample, ProcessSample]; core: [ProcessSample, ProcessSample]; restarts: number };
}

async function restartProxy(stack: Stack, figures: RestartFigures, into: number[]): Promise<void> {
  const from = stack.core!.lines.length;
  await stack.stopProxy();
  await stack.startProxy();
  const listening = performance.now();
  await stack.coreConnected(from);
  into.push(performance.now() - listening);
  figures.proxyRestarts++;
}

async function restartCore(stack: Stack, figures: RestartFigures): Promise<void> {
  await stack.stopCore();
  const spawned = performance.now();
  await stack.startCore();
  await stack.coreConnected(0);
  figures.coreUpMs.push(performance.now() - spawned);
  figures.coreRestarts++;
}

const pidOf = (service: { process: { pid: number } } | undefined) => service?.process.pid ?? 0;

/** `cycles` alternating restarts of each, then `survivorCycles` of each with the other alive. */
export async function runRestarts(stack: Stack, cycles: number, survivorCycles: number, progress: (line: string) => void): Promise<RestartFigures> {
  const zero = { rssKiB: 0, fds: 0 };
  const figures: RestartFigures = {
    proxyRestarts: 0,
    coreRestarts: 0,
    reconnectAfterProxyMs: [],
    reconnectAfterStableMs: [],
    coreUpMs: [],
    incarnations: { proxy: [zero, zero], core: [zero, zero] },
    survivor: { proxy: [zero, zero], core: [zero, zero], restarts: survivorCycles },
  };
  for (let i = 1; i <= cycles; i++) {
    await restartProxy(stack, figures, figures.reconnectAfterProxyMs);
    await Bun.sleep(SETTLE_MS);
    await restartCore(stack, figures);
    await Bun.sleep(SETTLE_MS);
    const now = { proxy: sample(pidOf(stack.proxy)), core: sample(pidOf(stack.core)) };
    if (i === 1) figures.incarnations = { proxy: [now.proxy, now.proxy], core: [now.core, now.core] };
    figures.incarnations.proxy[1] = now.proxy;
    figures.incarnations.core[1] = now.core;
    if (i % 10 === 0 || i === cycles) progress(`  alternating restarts: ${i}/${cycles}`);
  }
  figures.survivor.core[0] = sample(pidOf(stack.core));
  for (let i = 1; i <= survivorCycles; i++) {
    await Bun.sleep(STABLE_SETTLE_MS);
    await restartProxy(stack, figures, figures.reconnectAfterStableMs);
  }
  figures.survivor.core[1] = sample(pidOf(stack.core));
  progress(`  core alive through ${survivorCycles} proxy restarts`);
  figures.survivor.proxy[0] = sample(pidOf(stack.proxy));
  for (let i = 1; i <= survivorCycles; i++) {
    await restartCore(stack, figures);
    await Bun.sleep(SETTLE_MS);
  }
  figures.survivor.proxy[1] = sample(pidOf(stack.proxy));
  progress(`  proxy alive through ${survivorCycles} core restarts`);
  return figures;
}
