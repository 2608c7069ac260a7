// The sample messages scripts/gen-gateway-vectors.ts encodes with Defguard's gateway.proto: every message
// at least once, every oneof case, optional fields both set and unset, 64-bit values past 2^32.
import type { IConversionOptions } from "protobufjs";

/** The JSON form of a decoded vector: 64-bit integers as decimal strings, enums by name, unset absent. */
export const VECTOR_JSON_OPTIONS: IConversionOptions = { longs: String, enums: String, defaults: false, oneofs: false };

export interface VectorSample {
  message: string;
  sample: string;
  value: Record<string, unknown>;
}

const PUBKEY = "hHtB8o1ZD8u3mMUdb5YB9X0y4wXb3lFn0v6wSjDq1Ug=";
const PSK = "2Q1oK0uCeJ0r8yU1kDqVQ9x7bE7p8e9cR0rT5s3m1Ys=";
const PRVKEY = "QHlZt0o5yJfM2F3nCw0tT5r6hTqGzJv2pU1bJ8yLqXg=";

const peer = { pubkey: PUBKEY, allowed_ips: ["10.10.0.2"], preshared_key: PSK, keepalive_interval: 25 };
const peerBare = { pubkey: PUBKEY, allowed_ips: ["10.10.0.3", "fd00::3"] };
const rule = {
  id: 7,
  source_addrs: [{ ip: "10.10.0.2" }, { ip_range: { start: "10.10.0.10", end: "10.10.0.20" } }],
  destination_addrs: [{ ip_subnet: "192.168.1.0/24" }],
  destination_ports: [{ single_port: 443 }, { port_range: { start: 8000, end: 8080 } }],
  protocols: ["TCP", "UDP", "ICMP"],
  verdict: "ALLOW",
  comment: "web",
  ip_version: "IPV4",
};
const firewall = {
  default_policy: "DENY",
  rules: [rule, { id: "-2", verdict: "DENY", ip_version: "IPV6", destination_addrs: [{ ip: "fd00::1" }] }],
  snat_bindings: [{ id: 1, source_addrs: [{ ip_subnet: "10.10.0.0/24" }], public_ip: "203.0.113.5", comment: "out" }],
};
const configuration = {
  name: "office",
  prvkey: PRVKEY,
  port: 51820,
  peers: [peer, peerBare],
  addresses: ["10.10.0.1/24", "fd00::1/64"],
  firewall_config: firewall,
};
const stats = {
  public_key: PUBKEY,
  endpoint: "198.18.0.2:51820",
  upload: "5000000000",
  download: 1234,
  keepalive_interval: 25,
  latest_handshake: 1764806400,
  allowed_ips: "10.10.0.2/32",
};

export const GATEWAY_VECTOR_SAMPLES: VectorSample[] = [
  { message: "gateway.ConfigurationRequest", sample: "named", value: { name: "gw-1" } },
  { message: "gateway.ConfigurationRequest", sample: "unnamed", value: {} },
  { message: "gateway.Configuration", sample: "full", value: configuration },
  { message: "gateway.Configuration", sample: "no firewall, no peers", value: { name: "empty", prvkey: PRVKEY, port: 51821, addresses: ["10.20.0.1/24"] } },
  { message: "gateway.Peer", sample: "mfa peer", value: peer },
  { message: "gateway.Peer", sample: "plain peer", value: peerBare },
  { message: "gateway.Peer", sample: "delete: key only", value: { pubkey: PUBKEY } },
  { message: "gateway.Update", sample: "peer create", value: { update_type: "CREATE", peer } },
  { message: "gateway.Update", sample: "peer modify", value: { update_type: "MODIFY", peer: peerBare } },
  { message: "gateway.Update", sample: "peer delete", value: { update_type: "DELETE", peer: { pubkey: PUBKEY } } },
  { message: "gateway.Update", sample: "network modify", value: { update_type: "MODIFY", network: configuration } },
  { message: "gateway.Update", sample: "network delete", value: { update_type: "DELETE", network: { name: "office" } } },
  { message: "gateway.Update", sample: "firewall config", value: { update_type: "MODIFY", firewall_config: firewall } },
  { message: "gateway.Update", sample: "disable firewall", value: { update_type: "DELETE", disable_firewall: {} } },
  { message: "gateway.PeerStats", sample: "full", value: stats },
  { message: "gateway.StatsUpdate", sample: "keepalive", value: { id: 1, empty: {} } },
  { message: "gateway.StatsUpdate", sample: "peer stats", value: { id: "4294967296", peer_stats: stats } },
  { message: "google.protobuf.Empty", sample: "empty", value: {} },
  { message: "enterprise.firewall.FirewallConfig", sample: "full", value: firewall },
  { message: "enterprise.firewall.FirewallRule", sample: "full", value: rule },
  { message: "enterprise.firewall.SnatBinding", sample: "full", value: firewall.snat_bindings[0]! },
  { message: "enterprise.firewall.IpAddress", sample: "ip", value: { ip: "10.0.0.1" } },
  { message: "enterprise.firewall.IpAddress", sample: "range", value: { ip_range: { start: "10.0.10.1", end: "10.0.20.3" } } },
  { message: "enterprise.firewall.IpAddress", sample: "subnet", value: { ip_subnet: "10.0.10.0/24" } },
  { message: "enterprise.firewall.IpRange", sample: "full", value: { start: "10.0.10.1", end: "10.0.20.3" } },
  { message: "enterprise.firewall.Port", sample: "single", value: { single_port: 22 } },
  { message: "enterprise.firewall.Port", sample: "range", value: { port_range: { start: 1000, end: 2000 } } },
  { message: "enterprise.firewall.PortRange", sample: "full", value: { start: 1000, end: 2000 } },
];
