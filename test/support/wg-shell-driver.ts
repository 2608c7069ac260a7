// Drives the gateway's WireGuard shell (gateway/wireguard-interface.ts) from inside a network namespace
// for test/vpn-shell.test.ts: one JSON request a line on stdin, one JSON answer a line on stdout.
//   {"op":"create","ifname":"...","userspace":true} | {"op":"configure","settings":{...}}
//   {"op":"apply","changes":{...}} | {"op":"dump"} | {"op":"destroy"}
import { createLogger } from "../../shared/logger.ts";
import { forEachLine } from "../../shared/line-reader.ts";
import { WireGuardInterface } from "../../gateway/wireguard-interface.ts";

const log = createLogger({ level: "error", format: "text", target: "wg-shell-driver", write: (line) => process.stderr.write(`${line}\n`) });
let wg: WireGuardInterface | undefined;
let queue = Promise.resolve();

async function handle(request: { op: string; [key: string]: unknown }): Promise<unknown> {
  switch (request.op) {
    case "create":
      wg = await WireGuardInterface.create({ ifname: request.ifname as string, userspace: request.userspace as boolean, log });
      return { implementation: wg.implementation };
    case "configure":
      await wg!.configure(request.settings as never);
      return wg!.up();
    case "apply":
      return wg!.applyPeers(request.changes as never);
    case "dump": {
      const dump = await wg!.dump();
      return { ...dump, presharedKeys: Object.fromEntries(dump.presharedKeys) };
    }
    case "destroy":
      return wg!.destroy();
    default:
      throw new Error(`unknown op ${request.op}`);
  }
}

await forEachLine(Bun.stdin.stream(), (line) => {
  queue = queue.then(async () => {
    try {
      process.stdout.write(`${JSON.stringify({ ok: true, result: (await handle(JSON.parse(line))) ?? null })}\n`);
    } catch (err) {
      process.stdout.write(`${JSON.stringify({ ok: false, error: err instanceof Error ? err.message : String(err) })}\n`);
    }
  });
});
await queue;
await wg?.destroy();
