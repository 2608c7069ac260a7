// Peer statistics: parsing `wg show <if> dump`, and choosing which peers' figures to send to the Core
// (those with a handshake whose figures changed since they were last sent, as Defguard's gateway does).
// Pure: the command's output is passed in.

/** One peer's figures, as the wire's PeerStats carries them (upload/download seen from the gateway). */
export interface PeerFigures {
  public_key: string;
  /** `ip:port` the peer last sent from, or "" when it never did. */
  endpoint: string;
  /** Bytes sent to the peer (`transfer-tx`). */
  upload: number;
  /** Bytes received from the peer (`transfer-rx`). */
  download: number;
  keepalive_interval: number;
  /** Unix seconds; 0 for never. */
  latest_handshake: number;
  /** The peer's allowed IPs, comma-separated CIDRs. */
  allowed_ips: string;
}

export interface InterfaceDump {
  publicKey: string;
  listenPort: number;
  peers: PeerFigures[];
  /** Preshared keys by public key, for the peers that have one. */
  presharedKeys: Map<string, string>;
}

const NONE = "(none)";

/**
 * Parses `wg show <if> dump`: a first line for the interface (private key, public key, listen port,
 * fwmark), then one line per peer (public key, preshared key, endpoint, allowed IPs, latest handshake,
 * rx, tx, persistent keepalive), tab-separated. Throws on a line of the wrong shape.
 */
export function parseDump(output: string): InterfaceDump {
  const lines = output.split("\n").filter((line) => line !== "");
  const head = lines[0]?.split("\t");
  if (!head || head.length !== 4) throw new Error(`unexpected first line of wg dump: ${lines[0] ?? "(empty output)"}`);
  const presharedKeys = new Map<string, string>();
  const peers = lines.slice(1).map((line) => {
    const f = line.split("\t");
    if (f.length !== 8) throw new Error(`unexpected peer line of wg dump (${f.length} fields)`);
    if (f[1] !== NONE) presharedKeys.set(f[0]!, f[1]!);
    return {
      public_key: f[0]!,
      endpoint: f[2] === NONE ? "" : f[2]!,
      allowed_ips: f[3] === NONE ? "" : f[3]!,
      latest_handshake: Number(f[4]),
      download: Number(f[5]),
      upload: Number(f[6]),
      keepalive_interval: f[7] === "off" ? 0 : Number(f[7]),
    };
  });
  return { publicKey: head[1]!, listenPort: Number(head[2]), peers, presharedKeys };
}

function sameFigures(a: PeerFigures, b: PeerFigures): boolean {
  return (
    a.endpoint === b.endpoint &&
    a.upload === b.upload &&
    a.download === b.download &&
    a.keepalive_interval === b.keepalive_interval &&
    a.latest_handshake === b.latest_handshake &&
    a.allowed_ips === b.allowed_ips
  );
}

/**
 * Which of `current` to send: peers with a handshake whose figures differ from those in `lastSent`.
 * Returns them and the map to keep for the next round (peers gone from the interface are forgotten, so a
 * peer removed and added again is sent again).
 */
export function changedFigures(lastSent: ReadonlyMap<string, PeerFigures>, current: readonly PeerFigures[]): { send: PeerFigures[]; sent: Map<string, PeerFigures> } {
  const send: PeerFigures[] = [];
  const sent = new Map<string, PeerFigures>();
  for (const peer of current) {
    if (peer.latest_handshake === 0) continue;
    const before = lastSent.get(peer.public_key);
    if (!before || !sameFigures(before, peer)) send.push(peer);
    sent.set(peer.public_key, peer);
  }
  return { send, sent };
}
