// A byte relay between a TCP port on loopback and a unix socket, so that a process inside a network
// namespace reaches a server on the host's loopback without either binding anything else:
//   host:      bun test/support/ns-relay.ts unix:/tmp/x.sock tcp:127.0.0.1:<core port>
//   namespace: ip netns exec <ns> bun test/support/ns-relay.ts tcp:127.0.0.1:50055 unix:/tmp/x.sock
// (unix sockets live in the file system, which namespaces share). Prints `relay listening` when ready.
import { type Socket, connect, createServer } from "node:net";

type Endpoint = { path: string } | { host: string; port: number };

function parse(spec: string): Endpoint {
  if (spec.startsWith("unix:")) return { path: spec.slice(5) };
  const match = /^tcp:(.+):(\d+)$/.exec(spec);
  if (!match) throw new Error(`expected unix:/path or tcp:host:port, got ${spec}`);
  return { host: match[1]!, port: Number(match[2]) };
}

const [listenSpec, connectSpec] = process.argv.slice(2);
if (!listenSpec || !connectSpec) throw new Error("usage: ns-relay.ts <listen> <connect>");
const listenOn = parse(listenSpec);
const connectTo = parse(connectSpec);

function pipe(client: Socket): void {
  const upstream = "path" in connectTo ? connect(connectTo.path) : connect(connectTo.port, connectTo.host);
  client.pipe(upstream);
  upstream.pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("error", close);
  upstream.on("error", close);
  client.on("close", close);
  upstream.on("close", close);
}

const server = createServer(pipe);
const ready = () => process.stdout.write("relay listening\n");
if ("path" in listenOn) server.listen(listenOn.path, ready);
else server.listen(listenOn.port, listenOn.host, ready);
process.on("SIGTERM", () => process.exit(0));
