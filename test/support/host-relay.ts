// The host's end of the relay that lets a gateway inside a network namespace reach a Core on the host's
// loopback (test/support/ns-relay.ts is the namespace's end): a unix socket whose connections go to the
// current Core's gRPC port, switched when a test moves the gateway to another Core.
import { type Server, type Socket, connect, createServer } from "node:net";

/** The host's end of the relay: a unix socket whose connections go to the current Core's gRPC port. */
export class HostRelay {
  /** Where new connections go; switched when the test moves the gateway to another Core. */
  target = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  constructor(readonly path: string) {
    this.server = createServer((client) => {
      const upstream = connect(this.target, "127.0.0.1");
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.path, resolve));
  }

  /** Cuts every open connection (as a Core that died would). */
  cutAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  close(): Promise<void> {
    this.cutAll();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

