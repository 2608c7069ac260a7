// Whether a bind address keeps a listener on this host: used to refuse risky defaults only when other
// hosts could reach them.
import ipaddr from "ipaddr.js";

/** True for `localhost` and the loopback ranges (127.0.0.0/8, ::1, IPv4-mapped 127.x); false for 0.0.0.0, ::, any name. */
export function isLoopbackAddress(host: string): boolean {
  if (host.toLowerCase() === "localhost") return true;
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  return ipaddr.isValid(bare) && ipaddr.process(bare).range() === "loopback";
}
