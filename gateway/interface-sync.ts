// Keeps the WireGuard interface in step with what the Core sends: a whole Configuration (at connect and
// after every reconnect) makes the interface's peers exactly the Core's; each streamed Update is applied
// as the smallest change. Applications run one at a time, in the order received.
import type { Logger } from "../shared/logger.ts";
import { type Configuration__Output, type Update__Output, UpdateType } from "../shared/gateway-proto.ts";
import { cleanAddresses } from "./interface-settings.ts";
import { type PeerChanges, type WgPeer, applyChanges, diffOne, diffPeers, isEmpty, normalizePeer, withPrefix } from "./peer-diff.ts";
import type { Masquerade } from "./masquerade.ts";
import type { InterfaceDump } from "./peer-stats.ts";
import type { WireGuardInterface } from "./wireguard-interface.ts";

/** The peers an interface has, read from its dump (so a Configuration replaces what is really there). */
export function peersOfDump(dump: InterfaceDump): Map<string, WgPeer> {
  const peers = new Map<string, WgPeer>();
  for (const figures of dump.peers) {
    const allowedIps = figures.allowed_ips === "" ? [] : figures.allowed_ips.split(",").map(withPrefix);
    const peer = normalizePeer({
      pubkey: figures.public_key,
      allowed_ips: allowedIps,
      preshared_key: dump.presharedKeys.get(figures.public_key),
      keepalive_interval: figures.keepalive_interval,
    });
    peers.set(peer.pubkey, peer);
  }
  return peers;
}

function describe(changes: PeerChanges): string {
  return `${changes.add.length} added, ${changes.modify.length} changed, ${changes.remove.length} removed`;
}

export class InterfaceSync {
  /** The peers applied to the interface; replaced from the interface's dump at every Configuration. */
  private peers = new Map<string, WgPeer>();
  /** The tail of the queue of applications; each waits for the one before. */
  private queue: Promise<void> = Promise.resolve();
  /** True once a Configuration was applied: hooks that follow the first one (POST_UP) may run. */
  configured = false;

  constructor(
    private readonly wg: WireGuardInterface,
    private readonly log: Logger,
    /** DEFGUARD_MASQUERADE's table, applied again with every Configuration; undefined when off. */
    private readonly masquerade?: Pick<Masquerade, "apply">,
  ) {}

  /** The public keys applied now (for logs and tests). */
  get peerCount(): number {
    return this.peers.size;
  }

  /** Queues `work`; a failure is logged and does not stop the queue. */
  private enqueue(what: string, work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work).catch((err: unknown) => {
      this.log.error(`Failed to apply ${what}: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    });
    this.queue = next.catch(() => {});
    return next;
  }

  /**
   * Applies a whole Configuration: settings, then peers made exactly the Configuration's, then the
   * masquerade table afresh (as Defguard's gateway does with each one). Rejects on failure.
   */
  applyConfiguration(config: Configuration__Output): Promise<void> {
    return this.enqueue("the configuration", async () => {
      const started = performance.now();
      const { valid, invalid } = cleanAddresses(config.addresses);
      if (invalid.length > 0) this.log.warn(`Ignoring addresses that are not CIDRs: ${invalid.join(", ")}`);
      await this.wg.configure({ prvkey: config.prvkey, port: config.port, addresses: valid });
      const have = peersOfDump(await this.wg.dump());
      const changes = diffPeers(have, config.peers.map(normalizePeer));
      const read = performance.now();
      await this.wg.applyPeers(changes);
      await this.wg.up();
      await this.masquerade?.apply();
      this.log.debug(`Interface read and settings applied in ${Math.round(read - started)} ms, peers in ${Math.round(performance.now() - read)} ms`);
      this.peers = applyChanges(have, changes);
      this.configured = true;
      this.log.info(
        `Configured interface ${this.wg.ifname} for network ${config.name} (addresses ${valid.join(", ") || "none"}, port ${config.port}): ${this.peers.size} peers; ${describe(changes)}`,
      );
    });
  }

  /** Applies one streamed Update. Updates this gateway does not handle (firewall) are logged and skipped. */
  applyUpdate(update: Update__Output): Promise<void> {
    if (update.update === "network" && update.network) {
      if (update.update_type === UpdateType.DELETE) {
        return this.applyPeerChanges("network deletion", { add: [], modify: [], remove: [...this.peers.keys()] });
      }
      return this.applyConfiguration(update.network);
    }
    if (update.update === "peer" && update.peer) {
      this.log.debug(`Received update of peer ${update.peer.pubkey}, type ${update.update_type}`);
      const change =
        update.update_type === UpdateType.DELETE
          ? ({ kind: "delete", pubkey: update.peer.pubkey } as const)
          : ({ kind: "upsert", peer: normalizePeer(update.peer) } as const);
      return this.applyPeerChanges(`peer ${update.peer.pubkey}`, () => diffOne(this.peers, change));
    }
    this.log.debug(`Ignoring ${update.update ?? "an empty"} update: this gateway does not manage a firewall`);
    return Promise.resolve();
  }

  private applyPeerChanges(what: string, changesOf: PeerChanges | (() => PeerChanges)): Promise<void> {
    return this.enqueue(what, async () => {
      const changes = typeof changesOf === "function" ? changesOf() : changesOf;
      if (isEmpty(changes)) {
        this.log.debug(`Update of ${what} changes nothing`);
        return;
      }
      await this.wg.applyPeers(changes);
      this.peers = applyChanges(this.peers, changes);
      this.log.info(`Applied update of ${what}: ${describe(changes)}`);
    });
  }
}
