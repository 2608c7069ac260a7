// The Stats stream of one session: every period, the figures of each peer with a handshake whose figures
// changed, or an `empty` keepalive when none did (so the Core sees the stream alive).
import type { ClientWritableStream, Metadata, ServiceError } from "@grpc/grpc-js";
import type { GatewayServiceClient, StatsUpdate } from "../shared/gateway-proto.ts";
import type { Logger } from "../shared/logger.ts";
import { type PeerFigures, changedFigures } from "./peer-stats.ts";
import type { WireGuardInterface } from "./wireguard-interface.ts";

export class StatsSender {
  /** The open Stats call; undefined before start and after stop. */
  private call: ClientWritableStream<StatsUpdate> | undefined;
  /** The period timer; owned here. */
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Figures last sent, by public key; a session starts from none, so the Core gets every peer again. */
  private lastSent = new Map<string, PeerFigures>();
  /** Id of the last message sent (Defguard counts from 1 upwards). */
  private id = 1;
  /** True while a round is reading the interface, so that a slow `wg` never overlaps itself. */
  private busy = false;

  constructor(
    private readonly wg: WireGuardInterface,
    private readonly periodMs: number,
    private readonly log: Logger,
  ) {}

  /** Opens the call and sends a first round at once, then one every period. `onEnd` hears the call fail. */
  start(client: GatewayServiceClient, metadata: Metadata, onEnd: (why: string) => void, describe: (err: ServiceError) => string): void {
    this.call = client.Stats(metadata, (err) => {
      if (this.call) onEnd(err ? `stats stream failed: ${describe(err)}` : "the Core ended the stats stream");
    });
    this.call.on("error", () => {}); // the outcome arrives through the callback
    void this.round();
    this.timer = setInterval(() => void this.round(), this.periodMs);
  }

  stop(): void {
    clearInterval(this.timer);
    const call = this.call;
    this.call = undefined;
    call?.cancel();
  }

  private async round(): Promise<void> {
    if (this.busy || !this.call) return;
    this.busy = true;
    try {
      const dump = await this.wg.dump();
      const { send, sent } = changedFigures(this.lastSent, dump.peers);
      const call = this.call;
      if (!call) return;
      for (const figures of send) call.write({ id: ++this.id, peer_stats: figures });
      if (send.length === 0) call.write({ id: ++this.id, empty: {} });
      this.lastSent = sent;
      this.log.debug(`Sent stats of ${send.length} of ${dump.peers.length} peers`);
    } catch (err) {
      this.log.error(`Failed to read WireGuard interface stats: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.busy = false;
    }
  }
}
