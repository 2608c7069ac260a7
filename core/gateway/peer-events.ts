// The bus of peer events: flows and the admin API say "these devices changed", "this user changed", "this
// network changed or went"; each gateway's Updates stream reads the current state from the database and
// tells its gateway what that means for its network. Events carry ids (and a deleted network's name), never
// keys, so they may cross Cores through PostgreSQL NOTIFY. With PostgreSQL every Core, the publisher
// included, receives events through LISTEN (one path, one order); the embedded database serves one Core,
// whose events stay in-process.
import { EventEmitter } from "node:events";
import type postgres from "postgres";
import { z } from "zod";
import type { Logger } from "../../shared/logger.ts";

/** The NOTIFY channel every Core listens on. */
export const PEER_EVENTS_CHANNEL = "defguard_peer_events";
/** NOTIFY payloads must stay under 8000 bytes: device ids go in chunks of this many. */
const MAX_IDS_PER_NOTIFY = 500;

const peerEventSchema = z.discriminatedUnion("type", [
  /** Devices added, changed, authorized, de-authorized or deleted, in whatever networks they are. */
  z.object({ type: z.literal("devices"), deviceIds: z.array(z.number().int().positive()).min(1) }),
  /** A user's devices may have changed access: disabled, enabled, deleted, group membership changed. */
  z.object({ type: z.literal("user"), userId: z.number().int().positive() }),
  /** A network's settings changed (its devices may have been readdressed, added or removed). */
  z.object({ type: z.literal("network"), networkId: z.number().int().positive() }),
  /** A network was deleted; its name is what the gateways' DELETE carries. */
  z.object({ type: z.literal("network-deleted"), networkId: z.number().int().positive(), name: z.string() }),
]);

export type PeerEvent = z.infer<typeof peerEventSchema>;
/** What subscribers receive: the events above, and `resync` when events may have been missed. */
export type DeliveredPeerEvent = PeerEvent | { type: "resync" };

/** What flows and the admin API hold: publish after the change committed. Never throws. */
export interface PeerEventPublisher {
  publish(event: PeerEvent): Promise<void>;
}

export interface PeerEventBus extends PeerEventPublisher {
  /** Calls `listener` for every event from now on; returns the unsubscribe function. */
  subscribe(listener: (event: DeliveredPeerEvent) => void): () => void;
  /** Starts listening (PostgreSQL: LISTEN on its own connection). */
  start(): Promise<void>;
  /** Stops listening; before the database closes. */
  stop(): Promise<void>;
}

/** A publisher that drops everything: for code run without gateways (tests, the CLI on PGlite). */
export const NO_PEER_EVENTS: PeerEventPublisher = { publish: async () => {} };

/** Splits a devices event into NOTIFY-sized ones. */
function chunks(event: PeerEvent): PeerEvent[] {
  if (event.type !== "devices" || event.deviceIds.length <= MAX_IDS_PER_NOTIFY) return [event];
  const out: PeerEvent[] = [];
  for (let i = 0; i < event.deviceIds.length; i += MAX_IDS_PER_NOTIFY) {
    out.push({ type: "devices", deviceIds: event.deviceIds.slice(i, i + MAX_IDS_PER_NOTIFY) });
  }
  return out;
}

/**
 * The bus for one Core. `kind` postgres: events go out with NOTIFY and come in through LISTEN (a lost
 * LISTEN connection, once back, delivers `resync`); a NOTIFY that fails is delivered in-process instead
 * (duplicates are harmless: streams send only differences). `kind` embedded: in-process only.
 */
export function createPeerEventBus(options: { sql: postgres.Sql; kind: "postgres" | "embedded"; log: Logger }): PeerEventBus {
  const { sql, kind, log } = options;
  const emitter = new EventEmitter().setMaxListeners(0);
  /** The LISTEN subscription while started. */
  let listening: { unlisten(): Promise<void> } | undefined;
  let listenedOnce = false;
  // Delivered on a later tick: a publisher never runs the streams' work inside its own call.
  const deliver = (event: DeliveredPeerEvent) => setImmediate(() => emitter.emit("event", event));

  function received(payload: string): void {
    let parsed: ReturnType<typeof peerEventSchema.safeParse>;
    try {
      parsed = peerEventSchema.safeParse(JSON.parse(payload));
    } catch {
      parsed = peerEventSchema.safeParse(undefined);
    }
    if (parsed.success) deliver(parsed.data);
    else log.warn(`Ignored a malformed peer event on ${PEER_EVENTS_CHANNEL}`, { length: payload.length });
  }

  return {
    async publish(event) {
      for (const part of chunks(event)) {
        if (kind === "embedded") {
          deliver(part);
          continue;
        }
        try {
          await sql.notify(PEER_EVENTS_CHANNEL, JSON.stringify(part));
        } catch (err) {
          log.error(`Cannot send a peer event to the other cores: ${err instanceof Error ? err.message : String(err)}; this core's gateways get it`);
          deliver(part);
        }
      }
    },
    subscribe(listener) {
      emitter.on("event", listener);
      return () => emitter.off("event", listener);
    },
    async start() {
      if (kind === "embedded" || listening) return;
      listening = await sql.listen(PEER_EVENTS_CHANNEL, received, () => {
        // The first LISTEN is the start; any later one follows a lost connection, when events may have gone by.
        if (listenedOnce) {
          log.info("Listening for peer events again: resynchronizing the gateways' peers");
          deliver({ type: "resync" });
        }
        listenedOnce = true;
      });
    },
    async stop() {
      const current = listening;
      listening = undefined;
      await current?.unlisten().catch(() => {});
      emitter.removeAllListeners();
    },
  };
}
