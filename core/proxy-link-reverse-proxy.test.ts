// The link as reverse proxies in front of the Proxy make it behave, on real loopback sockets: headers held
// back until the Core sends a frame (nginx's grpc_pass behind TLS), and answers that are not gRPC at all
// (nginx's or HAProxy's own 502 page while the Proxy is down). test/nginx-grpc.test.ts runs real nginx.
import { afterEach, describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { type Http2Server, createServer } from "node:http2";
import { proxyService, type CoreRequest, type CoreResponse__Output } from "../shared/proto.ts";
import { createLogger } from "../shared/logger.ts";
import { VERSION_HEADER } from "../shared/version.ts";
import { buildLinkTarget } from "./link-credentials.ts";
import { ProxyLink } from "./proxy-link.ts";

type ServerCall = grpc.ServerDuplexStream<CoreResponse__Output, CoreRequest>;

const lines: string[] = [];
const log = createLogger({ level: "debug", format: "text", target: "defguard::grpc", write: (line) => lines.push(line) });
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  lines.length = 0;
});

/** A link with a short nudge interval, so the test does not wait a second per nudge. */
function startLink(port: number): ProxyLink {
  const url = new URL(`http://127.0.0.1:${port}`);
  const link = new ProxyLink({ url, link: buildLinkTarget({ url }), handlers: {}, log, random: () => 0, headerNudgeIntervalMs: 50 });
  cleanups.push(() => link.stop());
  link.start();
  return link;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await Bun.sleep(10);
  if (!condition()) throw new Error(`gave up waiting for ${what}:\n${lines.join("\n")}`);
}

/** A gRPC Proxy that sends its headers only after the Core's first message, as nginx passes them on. */
async function headerHoldingProxy(): Promise<{ port: number; received: CoreResponse__Output[] }> {
  const received: CoreResponse__Output[] = [];
  const server = new grpc.Server();
  server.addService(proxyService, {
    Bidi: (call: ServerCall) => {
      call.on("error", () => {});
      call.on("end", () => call.end());
      call.on("data", (response: CoreResponse__Output) => {
        if (received.push(response) > 1) return;
        const metadata = new grpc.Metadata();
        metadata.set(VERSION_HEADER, "1.6.0");
        call.sendMetadata(metadata);
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  cleanups.push(() => server.forceShutdown());
  return { port, received };
}

/** A plaintext HTTP/2 server answering every request with `status` and an HTML page, as nginx does. */
async function htmlServer(status: number): Promise<number> {
  const server: Http2Server = createServer((_request, response) => {
    response.writeHead(status, { "content-type": "text/html" });
    response.end(`<html><head><title>${status}</title></head><body><center><h1>${status}</h1></center></body></html>\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("ProxyLink behind a reverse proxy", () => {
  test("headers held back until the Core's first frame: empty answers push them through, then stop", async () => {
    const proxy = await headerHoldingProxy();
    const link = startLink(proxy.port);
    await until(() => link.state === "connected", "connected");
    expect(proxy.received[0]).toMatchObject({ id: 0 });
    expect(proxy.received[0]!.payload).toBeUndefined();
    const sentBeforeConnected = proxy.received.length;
    await Bun.sleep(300); // six nudge intervals: none may follow once the headers arrived
    expect(proxy.received).toHaveLength(sentBeforeConnected);
    expect(lines.filter((l) => l.includes("Connected to proxy at"))).toHaveLength(1);
  });

  test("HTTP 502 from a reverse proxy is a failed dial, said in words, never 'Connected'", async () => {
    const port = await htmlServer(502);
    startLink(port);
    await until(() => lines.filter((l) => l.includes("Cannot connect to proxy")).length >= 2, "two failed dials");
    const failure = lines.find((l) => l.includes("Cannot connect to proxy"))!;
    expect(failure).toContain(`WARN defguard::grpc: Cannot connect to proxy at http://127.0.0.1:${port}: the reverse proxy answered HTTP 502: the Proxy behind it is down; retrying in`);
    expect(lines.filter((l) => l.includes("Connected to proxy") || l.includes("Disconnected"))).toEqual([]);
  });

  test("HTTP 503 (HAProxy with no server up) reads the same way", async () => {
    startLink(await htmlServer(503));
    await until(() => lines.some((l) => l.includes("Cannot connect to proxy")), "a failed dial");
    expect(lines.find((l) => l.includes("Cannot connect to proxy"))).toContain("the reverse proxy answered HTTP 503: the Proxy behind it is down");
    expect(lines.filter((l) => l.includes("Connected to proxy"))).toEqual([]);
  });

  test("a web page with status 200 is not taken for the Proxy either", async () => {
    startLink(await htmlServer(200));
    await until(() => lines.some((l) => l.includes("Cannot connect to proxy")), "a failed dial");
    expect(lines.find((l) => l.includes("Cannot connect to proxy"))).toContain(
      "the server at DEFGUARD_PROXY_URL answered with content-type text/html, not gRPC (is this the Proxy's gRPC port?)",
    );
    expect(lines.filter((l) => l.includes("Connected to proxy"))).toEqual([]);
  });
});
