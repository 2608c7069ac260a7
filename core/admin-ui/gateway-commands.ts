// The command lines an admin runs on a VPN host to start a gateway for a location: ours (`bun run
// gateway`), Defguard's in Docker, and Defguard's binary. Pure: the location page shows them with the
// token filled in (client/location.ts) and tests pin them. Both gateways read DEFGUARD_TOKEN and
// DEFGUARD_GRPC_URL (README, "Gateway").

/** Defguard's gateway image speaking the protocol of Defguard 1.6, as docs/install.md names it. */
export const DEFGUARD_GATEWAY_IMAGE = "defguard/gateway:1.6";

export interface GatewayCommands {
  ours: string;
  docker: string;
  binary: string;
}

/** A word for sh: as it is when it has only safe characters, else in single quotes. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9._~:/=@%+,-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

export function gatewayCommands(token: string, grpcUrl: string): GatewayCommands {
  const [t, u] = [shellWord(token), shellWord(grpcUrl)];
  return {
    ours: `sudo DEFGUARD_TOKEN=${t} DEFGUARD_GRPC_URL=${u} bun run gateway`,
    docker: `docker run -d --name defguard-gateway --restart unless-stopped --network host --cap-add NET_ADMIN --device /dev/net/tun -e DEFGUARD_TOKEN=${t} -e DEFGUARD_GRPC_URL=${u} ${DEFGUARD_GATEWAY_IMAGE}`,
    binary: `sudo defguard-gateway --token ${t} --grpc-url ${u}`,
  };
}
