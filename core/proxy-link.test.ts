// The link against a minimal grpc-js server in this process, on real loopback sockets.
import { afterEach, describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { proxyService, type CoreRequest, type CoreResponse__Output } from "../shared/proto.ts";
import { createLogger } from "../shared/logger.ts";
import { SYSTEM_HEADER, VERSION_HEADER } from "../shared/version.ts";
import type { HandlerMap } from "./dispatcher.ts";
import { buildLinkTarget } from "./link-credentials.ts";
import { ProxyLink } from "./proxy-link.ts";

type ServerCall = grpc.ServerDuplexStream<CoreResponse__Output, CoreRequest>;

/** A stand-in proxy: records calls, sends the given version, lets the test write and end. */
class FakeProxy {
  readonly calls: ServerCall[] = [];
  readonly received: CoreResponse__Output[] = [];
  private server = new grpc.Server();
  port = 0;

  constructor(private readonly version = "1.6.0") {
    this.server.addService(proxyService, {
      Bidi: (call: ServerCall) => {
        const metadata = new grpc.Metadata();
        metadata.set(VERSION_HEADER, this.version);
        metadata.set(SYSTEM_HEADER, "Linux;6.1;x86_64");
        call.sendMetadata(metadata);
        this.calls.push(call);
        call.on("data", (response: CoreResponse__Output) => this.received.push(response));
        call.on("error", () => {});
        call.on("end", () => call.end());
      },
    });
  }

  async listen(port = 0): Promise<number> {
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    return this.port;
  }

  stop(): void {
    this.server.forceShutdown();
  }
}

const lines: string[] = [];
const log = createLogger({ level: "debug", format: "text", target: "defguard::grpc", write: (line) => lines.push(line) });
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  lines.length = 0;
});

function newLink(port: number, handlers: HandlerMap = {}): ProxyLink {
  const url = new URL(`http://127.0.0.1:${port}`);
  const link = new ProxyLink({ url, link: buildLinkTarget({ url }), handlers, log, random: () => 0 });
  cleanups.push(() => link.stop());
  return link;
}

function once<T>(link: ProxyLink, event: "connected" | "disconnected"): Promise<T> {
  return new Promise((resolve) => link.once(event, (value: unknown) => resolve(value as T)));
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await Bun.sleep(10);
  if (!condition()) throw new Error(`gave up waiting for ${what}`);
}

async function startedProxy(version?: string): Promise<FakeProxy> {
  const proxy = new FakeProxy(version);
  await proxy.listen();
  cleanups.push(() => proxy.stop());
  return proxy;
}

describe("ProxyLink", () => {
  test("connects, sends its version metadata and reads the proxy's", async () => {
    const proxy = await startedProxy();
    const link = newLink(proxy.port);
    const connected = once<{ proxyVersion?: string; proxySystem?: string }>(link, "connected");
    link.start();
    expect(link.state).toBe("connecting");
    expect(await connected).toMatchObject({ proxyVersion: "1.6.0", proxySystem: "Linux;6.1;x86_64" });
    expect(link.state).toBe("connected");
    const metadata = proxy.calls[0]!.metadata;
    expect(metadata.get(VERSION_HEADER)[0]).toMatch(/^\d+\.\d+\.\d+/);
    expect(String(metadata.get(SYSTEM_HEADER)[0]).split(";")).toHaveLength(3);
    expect(lines.some((l) => l.includes(`INFO defguard::grpc: Connecting to proxy at http://127.0.0.1:${proxy.port}`))).toBe(true);
    expect(lines.some((l) => l.includes("Connected to proxy at") && l.includes("proxy_version=1.6.0"))).toBe(true);
  });

  test("answers requests concurrently, each with its own id; unknown payloads get UNIMPLEMENTED", async () => {
    const proxy = await startedProxy();
    const gates = new Map<string, () => void>();
    const handlers: HandlerMap = {
      client_mfa_token_validation: async (request) => {
        await new Promise<void>((resolve) => gates.set(request.token, resolve));
        return { client_mfa_token_validation: { token_valid: request.token === "good" } };
      },
    };
    const link = newLink(proxy.port, handlers);
    const connected = once(link, "connected");
    link.start();
    await connected;
    const call = proxy.calls[0]!;
    call.write({ id: 1, client_mfa_token_validation: { token: "good" } });
    call.write({ id: 2, client_mfa_token_validation: { token: "bad" } });
    call.write({ id: 3, password_reset_init: { email: "a@example.com" } });
    await until(() => gates.size === 2, "both requests in their handler at once");
    expect(link.pending).toBe(2);
    gates.get("bad")!();
    gates.get("good")!();
    await until(() => proxy.received.length === 3, "three answers");
    const byId = new Map(proxy.received.map((r) => [r.id, r]));
    expect(byId.get(3)).toMatchObject({ payload: "core_error", core_error: { status_code: grpc.status.UNIMPLEMENTED } });
    expect(byId.get(2)).toMatchObject({ payload: "client_mfa_token_validation", client_mfa_token_validation: { token_valid: false } });
    expect(byId.get(1)).toMatchObject({ payload: "client_mfa_token_validation", client_mfa_token_validation: { token_valid: true } });
    expect(proxy.received[0]!.id).toBe(3); // the unhandled one did not wait behind the others
  });

  test("retries while nothing listens, and connects once the proxy is up", async () => {
    const probe = await startedProxy();
    const port = probe.port;
    probe.stop();
    const link = newLink(port);
    link.start();
    await until(() => lines.filter((l) => l.includes("Cannot connect to proxy")).length >= 2, "two refused attempts");
    expect(lines.find((l) => l.includes("Cannot connect to proxy"))).toContain("connection refused");
    const proxy = new FakeProxy();
    await proxy.listen(port);
    cleanups.push(() => proxy.stop());
    await until(() => link.state === "connected", "connected");
  });

  test("redials after the proxy ends the stream, with a line for the disconnect", async () => {
    const proxy = await startedProxy();
    const link = newLink(proxy.port);
    const connected = once(link, "connected");
    link.start();
    await connected;
    const disconnected = once<string>(link, "disconnected");
    proxy.calls[0]!.end();
    expect(await disconnected).toContain("the proxy closed the stream");
    await until(() => proxy.calls.length === 2 && link.state === "connected", "a second call");
    expect(lines.some((l) => l.includes("WARN defguard::grpc: Disconnected from proxy at") && l.includes("reconnecting in"))).toBe(true);
  });

  test("refuses a proxy older than the oldest supported version, and says why", async () => {
    const proxy = await startedProxy("0.0.1");
    const link = newLink(proxy.port);
    let connectedEvents = 0;
    link.on("connected", () => connectedEvents++);
    link.start();
    await until(() => lines.some((l) => l.includes("version refused: proxy version 0.0.1 is older")), "the refusal line");
    expect(connectedEvents).toBe(0);
    expect(link.state).not.toBe("connected");
  });

  test("a proxy refusing this core's version is logged as version refused", async () => {
    const server = new grpc.Server();
    server.addService(proxyService, {
      Bidi: (call: ServerCall) => call.emit("error", { code: grpc.status.FAILED_PRECONDITION, details: "core version 0.9.0 is too old" }),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    cleanups.push(() => server.forceShutdown());
    newLink(port).start();
    await until(() => lines.some((l) => l.includes("version refused: the proxy refused this core: core version 0.9.0 is too old")), "the line");
  });

  test("stop() answers what is in flight, refuses what comes after, then closes", async () => {
    const proxy = await startedProxy();
    let release = () => {};
    const handlers: HandlerMap = {
      client_mfa_token_validation: async () => {
        await new Promise<void>((resolve) => (release = resolve));
        return { client_mfa_token_validation: { token_valid: true } };
      },
    };
    const link = newLink(proxy.port, handlers);
    const connected = once(link, "connected");
    link.start();
    await connected;
    const call = proxy.calls[0]!;
    call.write({ id: 7, client_mfa_token_validation: { token: "x" } });
    await until(() => link.pending === 1, "the request in flight");
    const stopped = link.stop();
    call.write({ id: 8, client_mfa_token_validation: { token: "y" } });
    await until(() => proxy.received.some((r) => r.id === 8), "the refusal");
    release();
    await stopped;
    expect(proxy.received.find((r) => r.id === 8)).toMatchObject({ core_error: { status_code: grpc.status.UNAVAILABLE } });
    expect(proxy.received.find((r) => r.id === 7)).toMatchObject({ client_mfa_token_validation: { token_valid: true } });
    expect(link.state).toBe("disconnected");
    expect(lines.some((l) => l.includes("the core is shutting down"))).toBe(true);
    await Bun.sleep(300);
    expect(proxy.calls).toHaveLength(1); // no redial after stop
  });
});
