// Fuzzing the link: random bytes as gRPC messages, random but well-formed messages, an oversized message
// and raw garbage on the TCP port, sent to the Proxy's gRPC server by a misbehaving "Core" and to a Core's
// link by a misbehaving "Proxy". The receiving side logs, drops that stream and keeps serving.
import { afterEach, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import * as grpc from "@grpc/grpc-js";
import fc from "fast-check";
import { buildLinkTarget } from "../core/link-credentials.ts";
import { ProxyLink } from "../core/proxy-link.ts";
import { createLogger } from "../shared/logger.ts";
import { codec, proxyService } from "../shared/proto.ts";
import { COMPONENT_VERSION, SYSTEM_HEADER, VERSION_HEADER } from "../shared/version.ts";
import { type TestProxy, startTestProxy } from "./support/in-process-proxy.ts";
import { instanceInfo } from "./support/link-fixture.ts";
import { connectTestCore, waitFor } from "./support/test-core.ts";

const BIDI_PATH = "/defguard.proxy.Proxy/Bidi";
const identity = (b: Buffer) => b;
const GRPC_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function versionMetadata(): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set(VERSION_HEADER, "1.6.0");
  metadata.set(SYSTEM_HEADER, "Linux;6.1;x86_64");
  return metadata;
}

/** A "Core" that sends whatever bytes it is given as CoreResponse messages. */
function rawCore(target: string) {
  const client = new grpc.Client(target, grpc.credentials.createInsecure(), { "grpc.max_send_message_length": -1 });
  const call = client.makeBidiStreamRequest(BIDI_PATH, identity, identity, versionMetadata());
  const status = new Promise<grpc.StatusObject>((resolve) => call.on("status", resolve));
  call.on("error", () => {});
  call.on("data", () => {});
  cleanups.push(() => {
    call.cancel();
    client.close();
  });
  return { call, status };
}

/** Requests through the Proxy still reach a well-behaved Core and come back. */
async function proxyStillServes(proxy: TestProxy): Promise<void> {
  const core = connectTestCore({ target: proxy.target, answer: () => instanceInfo("ok") });
  cleanups.push(() => core.close());
  await core.headers;
  const res = await fetch(`${proxy.url}/api/v1/poll`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"token":"t"}' });
  expect(res.status).toBe(200);
}

async function testProxy(): Promise<TestProxy> {
  const proxy = await startTestProxy();
  cleanups.push(() => proxy.stop());
  return proxy;
}

describe("garbage to the Proxy's gRPC port", () => {
  test("300 streams of random bytes as messages: each refused or dropped, the proxy serves on", async () => {
    const proxy = await testProxy();
    let streams = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 512 }), { minLength: 1, maxLength: 8 }), async (messages) => {
        const { call, status } = rawCore(proxy.target);
        for (const bytes of messages) call.write(Buffer.from(bytes));
        call.end();
        await status;
        streams++;
      }),
      { numRuns: 300 },
    );
    expect(streams).toBe(300);
    await waitFor(() => proxy.proxy.links.connectedCount === 0, 10_000, "the garbage streams to end");
    expect(proxy.lines.some((l) => l.includes("RPC client disconnected"))).toBe(true);
    await proxyStillServes(proxy);
  }, 120_000);

  test("well-formed answers with random ids and payloads: unknown ids are dropped, the log not flooded", async () => {
    const proxy = await testProxy();
    const { call, status } = rawCore(proxy.target);
    const answers = fc.sample(
      fc.record({ id: fc.nat(), core_error: fc.record({ status_code: fc.integer({ min: -5, max: 100 }), message: fc.string() }) }),
      500,
    );
    for (const answer of answers) call.write(codec.encodeCoreResponse(answer));
    await waitFor(() => proxy.lines.some((l) => l.includes("Dropping an answer")), 10_000, "dropped answers");
    call.end();
    await status;
    expect(proxy.lines.filter((l) => l.includes("Dropping an answer")).length).toBeLessThanOrEqual(20);
    await proxyStillServes(proxy);
  });

  test("a message over 4 MiB: refused with RESOURCE_EXHAUSTED, the proxy serves on", async () => {
    const proxy = await testProxy();
    const { call, status } = rawCore(proxy.target);
    call.write(Buffer.alloc(GRPC_MAX_MESSAGE_BYTES + 1024, 0x0a));
    expect((await status).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    await proxyStillServes(proxy);
  });

  test("raw TCP garbage (no HTTP/2 at all) on the gRPC port: the connection is closed, the proxy serves on", async () => {
    const proxy = await testProxy();
    const samples = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 4096 }), 50);
    for (const bytes of samples) {
      await new Promise<void>((resolve) => {
        const socket = connect(proxy.proxy.grpcPort, "127.0.0.1", () => socket.end(Buffer.from(bytes)));
        socket.on("data", () => {});
        socket.on("error", () => resolve());
        socket.on("close", () => resolve());
        setTimeout(() => socket.destroy(), 2_000);
      });
    }
    await proxyStillServes(proxy);
  });
});

describe("garbage to a Core's link from a fake Proxy", () => {
  /** A gRPC server at the Bidi path that sends each connecting Core what `feed` returns, then waits. */
  async function fakeProxy(feed: (call: number) => Buffer[]) {
    const server = new grpc.Server();
    let calls = 0;
    const received: Buffer[] = [];
    const definition = {
      Bidi: { ...proxyService.Bidi, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity },
    } as unknown as grpc.ServiceDefinition;
    server.addService(definition, {
      Bidi: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
        const metadata = new grpc.Metadata();
        metadata.set(VERSION_HEADER, COMPONENT_VERSION);
        call.sendMetadata(metadata);
        call.on("data", (b: Buffer) => received.push(b));
        call.on("error", () => {});
        for (const bytes of feed(++calls)) call.write(bytes);
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    cleanups.push(() => server.forceShutdown());
    return { port, received, calls: () => calls };
  }

  function startLink(port: number) {
    const lines: string[] = [];
    const log = createLogger({ level: "debug", format: "text", target: "defguard::grpc", write: (l) => lines.push(l) });
    const url = new URL(`http://127.0.0.1:${port}`);
    const link = new ProxyLink({ url, link: buildLinkTarget({ url }), handlers: {}, log, random: () => 0 });
    link.start();
    cleanups.push(() => link.stop());
    return { link, lines };
  }

  test("random bytes as requests: the core logs the broken stream and redials, again and again", async () => {
    // Random bytes behind a field that claims to be longer than the message: no CoreRequest decodes from them.
    const truncated = Buffer.from([0x1a, 0xff, 0xff, 0xff, 0x0f]);
    const undecodable = fc.sample(fc.uint8Array({ maxLength: 256 }), 5).map((b) => Buffer.concat([truncated, b]));
    const proxy = await fakeProxy((call) => (call <= 5 ? [undecodable[call - 1]!] : []));
    const { link, lines } = startLink(proxy.port);
    await waitFor(() => proxy.calls() >= 6 && link.state === "connected", 30_000, "the core to redial past the garbage");
    expect(lines.some((l) => /WARN defguard::grpc: Disconnected from proxy at http:\/\/127\.0\.0\.1:\d+: .*; reconnecting in \d+ ms/.test(l))).toBe(true);
  }, 60_000);

  test("500 random well-formed requests: each answered with its id (an error for what it does not handle)", async () => {
    const requests = fc.sample(
      fc.record({
        id: fc.integer({ min: 1, max: 2 ** 31 }),
        device_info: fc.record({ ip_address: fc.string(), user_agent: fc.string() }),
        instance_info: fc.record({ token: fc.string({ unit: "binary" }) }),
      }),
      500,
    );
    const proxy = await fakeProxy((call) => (call === 1 ? requests.map((r) => codec.encodeCoreRequest(r)) : []));
    startLink(proxy.port);
    await waitFor(() => proxy.received.length === 500, 20_000, "500 answers");
    const answers = proxy.received.map((b) => codec.decodeCoreResponse(b));
    expect(answers.map((a) => a.id).sort()).toEqual(requests.map((r) => r.id).sort());
    expect(answers.every((a) => a.payload === "core_error")).toBe(true);
  });
});
