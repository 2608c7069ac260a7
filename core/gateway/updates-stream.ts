// One gateway's Updates stream: it follows the peer events of the bus, reads what they mean for its
// network from the database, and writes only the differences to the gateway, in the order they happened.
import type * as grpc from "@grpc/grpc-js";
import type postgres from "postgres";
import { type Update, UpdateType } from "../../shared/gateway-proto.ts";
import type { Logger } from "../../shared/logger.ts";
import type { GatewayIdentity } from "./gateway-auth.ts";
import { type GatewayNetwork, type PeerRow, loadGatewayNetwork, loadPeers } from "./network-peers.ts";
import { configurationMessage, diffPeers, knownDevicesOf } from "./peer-diff.ts";
import type { DeliveredPeerEvent, PeerEventBus } from "./peer-events.ts";

export interface UpdatesStreamDeps {
  sql: postgres.Sql;
  bus: PeerEventBus;
  log: Logger;
}

/** A running stream, as the service's registry counts it. */
export interface UpdatesStream {
  gateway: GatewayIdentity;
  /** Peers the gateway has now, as far as this stream told it. */
  peerCount(): number;
  /** Resolves when the call has ended (cancelled by the gateway, or the server shutting down). */
  ended: Promise<void>;
  /** Ends the call with OK (shutdown): the gateway reconnects, to this Core or another. */
  close(): void;
}

/** The updates one event means for the network; `known` and `network` follow what was sent. */
async function updatesFor(
  event: DeliveredPeerEvent,
  state: { network: GatewayNetwork; known: Map<number, PeerRow> },
  sql: postgres.Sql,
): Promise<Update[]> {
  const { network, known } = state;
  switch (event.type) {
    case "devices":
      return diffPeers(known, event.deviceIds, await loadPeers(sql, network.id, { deviceIds: event.deviceIds }), network.keepalive_interval);
    case "user":
      return diffPeers(known, knownDevicesOf(known, event.userId), await loadPeers(sql, network.id, { userId: event.userId }), network.keepalive_interval);
    case "network": {
      if (event.networkId !== network.id) return [];
      const fresh = await loadGatewayNetwork(sql, network.id);
      if (!fresh) return [];
      const peers = await loadPeers(sql, network.id, { all: true });
      state.network = fresh;
      state.known = new Map(peers.map((row) => [row.device_id, row]));
      return [{ update_type: UpdateType.MODIFY, network: configurationMessage(fresh, peers) }];
    }
    case "network-deleted":
      if (event.networkId !== network.id) return [];
      known.clear();
      return [{ update_type: UpdateType.DELETE, network: { name: event.name } }];
    case "resync": {
      state.network = (await loadGatewayNetwork(sql, network.id)) ?? network;
      const peers = await loadPeers(sql, network.id, { all: true });
      return diffPeers(known, [...known.keys()], peers, state.network.keepalive_interval);
    }
  }
}

/**
 * Serves `call` for `gateway` until it ends. `baseline` is what the gateway was given by Config on this
 * Core (its peers by device id), if this Core answered it: changes since then are sent at once. Without
 * it, the peers now are taken as what the gateway has. Events arriving while the baseline loads wait.
 */
export function startUpdatesStream(
  call: grpc.ServerWritableStream<unknown, Update>,
  gateway: GatewayIdentity,
  network: GatewayNetwork,
  baseline: Map<number, PeerRow> | undefined,
  deps: UpdatesStreamDeps,
): UpdatesStream {
  const { sql, log } = deps;
  const state = { network, known: new Map<number, PeerRow>() };
  let open = true;
  /** Events are handled one after another: this is the tail of that chain. */
  let chain: Promise<void> = Promise.resolve();
  const handle = (event: DeliveredPeerEvent) => {
    chain = chain.then(async () => {
      if (!open) return;
      try {
        for (const update of await updatesFor(event, state, sql)) if (open) call.write(update);
      } catch (err) {
        // The database failed mid-way: what was sent may be partial; a resync puts the gateway right.
        log.error(`Cannot send an update to gateway ${gateway.hostname}: ${err instanceof Error ? err.message : String(err)}`);
        if (event.type !== "resync") setTimeout(() => handle({ type: "resync" }), 1_000).unref();
      }
    });
  };
  const unsubscribe = deps.bus.subscribe(handle);
  chain = chain.then(async () => {
    const peers = await loadPeers(sql, network.id, { all: true });
    if (baseline) {
      state.known = baseline;
      for (const update of diffPeers(state.known, [...baseline.keys()], peers, network.keepalive_interval)) if (open) call.write(update);
    } else {
      state.known = new Map(peers.map((row) => [row.device_id, row]));
    }
  }).catch((err) => {
    log.error(`Cannot read the peers of network ${network.id} for gateway ${gateway.hostname}: ${err instanceof Error ? err.message : String(err)}`);
    setTimeout(() => handle({ type: "resync" }), 1_000).unref();
  });
  const ended = new Promise<void>((resolve) => {
    const end = () => {
      if (!open) return;
      open = false;
      unsubscribe();
      resolve();
    };
    call.on("cancelled", end);
    call.on("close", end);
    call.on("error", end);
    call.on("finish", end);
  });
  const close = () => {
    if (open) call.end();
  };
  return { gateway, peerCount: () => state.known.size, ended, close };
}
