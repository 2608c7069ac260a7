// DEFGUARD_PROXY_URL as a list: accepted and refused values, each problem naming the variable and the
// entry; one link per URL with its own label; the TLS files shared by all (a CA bundle for several CAs).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { EnvError } from "../shared/env.ts";
import { createLogger } from "../shared/logger.ts";
import { TlsConfigError } from "../shared/tls.ts";
import { type TestCa, makeCa, removeCa } from "../test/support/certs.ts";
import { loadCoreConfig } from "./config.ts";
import { countConnected, createProxyLinks, prepareProxyLinks, proxyEndpoints } from "./proxy-links.ts";

const problemsOf = (value: string): string[] => {
  try {
    loadCoreConfig({ DEFGUARD_PROXY_URL: value });
  } catch (err) {
    if (err instanceof EnvError) return err.problems;
    throw err;
  }
  return [];
};

describe("DEFGUARD_PROXY_URL", () => {
  const accepted: [string, string[]][] = [
    ["http://proxy:50051", ["http://proxy:50051/"]],
    ["https://proxy.example.com:50051", ["https://proxy.example.com:50051/"]],
    ["http://site-a:50051,http://site-b:50051", ["http://site-a:50051/", "http://site-b:50051/"]],
    [" http://site-a:50051 , https://site-b.example.com:50051 ", ["http://site-a:50051/", "https://site-b.example.com:50051/"]],
    ["http://[::1]:50051,http://127.0.0.1:50051,http://127.0.0.1:50052", ["http://[::1]:50051/", "http://127.0.0.1:50051/", "http://127.0.0.1:50052/"]],
  ];
  for (const [value, urls] of accepted) {
    test(`accepts ${JSON.stringify(value)}: ${urls.length} proxy(ies), in order`, () => {
      const config = loadCoreConfig({ DEFGUARD_PROXY_URL: value });
      expect(config.proxies.map((p) => p.url.href)).toEqual(urls);
      expect(config.proxy?.url.href).toBe(urls[0]!);
      expect(proxyEndpoints(config)).toBe(config.proxies);
    });
  }

  test("unset or empty: no proxy", () => {
    expect(loadCoreConfig({}).proxies).toEqual([]);
    expect(loadCoreConfig({ DEFGUARD_PROXY_URL: "" }).proxies).toEqual([]);
    expect(loadCoreConfig({}).proxy).toBeUndefined();
  });

  const refused: [string, string[]][] = [
    ["ftp://x", ["DEFGUARD_PROXY_URL: expected an http:// or https:// URL, got ftp://"]],
    ["http://a:1,ftp://b:2", ["DEFGUARD_PROXY_URL: entry 2 (ftp://b:2): expected an http:// or https:// URL, got ftp://"]],
    ["http://a:1,,http://b:2", ["DEFGUARD_PROXY_URL: entry 2 (empty): expected a URL, got nothing (a stray comma?)"]],
    ["http://a:1,", ["DEFGUARD_PROXY_URL: entry 2 (empty): expected a URL, got nothing (a stray comma?)"]],
    ["http://a:1 http://b:2", ["DEFGUARD_PROXY_URL: expected URLs separated by commas (no spaces or semicolons inside an entry)"]],
    ["http://a:1;http://b:2", ["DEFGUARD_PROXY_URL: expected URLs separated by commas (no spaces or semicolons inside an entry)"]],
    ["proxy-a:50051,http://b:2", ["DEFGUARD_PROXY_URL: entry 1 (proxy-a:50051): expected an http:// or https:// URL, got proxy-a://"]],
    ["http://a:1/grpc,http://b:2", ["DEFGUARD_PROXY_URL: entry 1 (http://a:1/grpc): expected no path in the URL, only scheme, host and port"]],
    ["http://a:1,http://A:1", ["DEFGUARD_PROXY_URL: entry 2 (http://A:1): names the same proxy as an earlier entry"]],
    ["https://a,https://a:443", ["DEFGUARD_PROXY_URL: entry 2 (https://a:443): names the same proxy as an earlier entry"]],
    [
      "not a url,http://b:2,ftp://c",
      [
        "DEFGUARD_PROXY_URL: entry 1 (not a url): expected a URL such as http://proxy:50051 or https://proxy.example.com:50051",
        "DEFGUARD_PROXY_URL: entry 3 (ftp://c): expected an http:// or https:// URL, got ftp://",
      ],
    ],
  ];
  for (const [value, problems] of refused) {
    test(`refuses ${JSON.stringify(value)}, naming the variable and the entry`, () => {
      expect(problemsOf(value)).toEqual(problems);
    });
  }
});

describe("links of a list", () => {
  const log = createLogger({ level: "error", format: "text", target: "test", write: () => {} });

  test("one link per URL, each labelled by its URL and disconnected until started", () => {
    const lines: string[] = [];
    const info = createLogger({ level: "info", format: "text", target: "defguard::grpc", write: (l) => lines.push(l) });
    const config = loadCoreConfig({ DEFGUARD_PROXY_URL: "http://127.0.0.1:50051,http://[::1]:50052" });
    const links = createProxyLinks(prepareProxyLinks(proxyEndpoints(config)), {}, info, log);
    expect(links.map((l) => l.label)).toEqual(["http://127.0.0.1:50051", "http://[::1]:50052"]);
    expect(links.map((l) => l.state)).toEqual(["disconnected", "disconnected"]);
    expect(countConnected(links)).toEqual({ connected: 0, configured: 2 });
    expect(lines.some((l) => l.endsWith("INFO defguard::grpc: Dialling 2 proxies, each on its own link: http://127.0.0.1:50051, http://[::1]:50052"))).toBe(true);
  });

  test("one URL: no line about several proxies", () => {
    const lines: string[] = [];
    const info = createLogger({ level: "info", format: "text", target: "defguard::grpc", write: (l) => lines.push(l) });
    createProxyLinks(prepareProxyLinks(proxyEndpoints(loadCoreConfig({ DEFGUARD_PROXY_URL: "http://127.0.0.1:50051" }))), {}, info, log);
    expect(lines).toEqual([]);
  });

  test("a shared secret sent over http:// is warned about, per plaintext proxy", () => {
    const lines: string[] = [];
    const info = createLogger({ level: "info", format: "text", target: "defguard::grpc", write: (l) => lines.push(l) });
    const config = loadCoreConfig({ DEFGUARD_PROXY_URL: "http://127.0.0.1:50051", DEFGUARD_PROXY_SHARED_SECRET: "x".repeat(32) });
    createProxyLinks(prepareProxyLinks(proxyEndpoints(config)), {}, info, log);
    expect(lines.map((l) => l.slice(l.indexOf(" WARN ") + 1))).toEqual([
      "WARN defguard::grpc: DEFGUARD_PROXY_SHARED_SECRET crosses the network in plaintext to http://127.0.0.1:50051: whoever can watch this link can read it (use an https:// URL)",
    ]);
  });

  test("countConnected counts the links whose state is connected", () => {
    expect(countConnected([{ state: "connected" }, { state: "connecting" }, { state: "connected" }, { state: "disconnected" }])).toEqual({ connected: 2, configured: 4 });
    expect(countConnected([])).toEqual({ connected: 0, configured: 0 });
  });
});

describe("TLS options of a list", () => {
  let caA: TestCa;
  let caB: TestCa;
  let bundle: string;
  beforeAll(async () => {
    caA = await makeCa({ name: "Site A CA" });
    caB = await makeCa({ name: "Site B CA" });
    bundle = join(caA.dir, "bundle.pem");
    writeFileSync(bundle, caA.certPem + caB.certPem);
  });
  afterAll(() => {
    removeCa(caA);
    removeCa(caB);
  });

  test("a CA bundle of several CAs is read once per https:// URL; http:// entries stay plaintext", () => {
    const config = loadCoreConfig({
      DEFGUARD_PROXY_URL: "https://proxy-a.example.com:50051,https://proxy-b.example.com:50051,http://proxy-c:50051",
      DEFGUARD_PROXY_GRPC_CA: bundle,
    });
    const prepared = prepareProxyLinks(proxyEndpoints(config));
    expect(prepared.map((p) => [p.target.target, p.target.tls])).toEqual([
      ["proxy-a.example.com:50051", true],
      ["proxy-b.example.com:50051", true],
      ["proxy-c:50051", false],
    ]);
    expect(prepared.every((p) => p.endpoint.caPath === bundle)).toBe(true);
  });

  test("an https:// entry with an IP address stops startup naming DEFGUARD_PROXY_URL, whichever entry it is", () => {
    const config = loadCoreConfig({ DEFGUARD_PROXY_URL: "https://proxy-a.example.com:50051,https://10.0.0.2:50051", DEFGUARD_PROXY_GRPC_CA: bundle });
    expect(() => prepareProxyLinks(proxyEndpoints(config))).toThrow(TlsConfigError);
    expect(() => prepareProxyLinks(proxyEndpoints(config))).toThrow("DEFGUARD_PROXY_URL: https:// needs the host name that the proxy's certificate names, not the IP address 10.0.0.2");
  });

  test("a CA file that is not PEM stops startup naming DEFGUARD_PROXY_GRPC_CA", () => {
    const junk = join(caA.dir, "junk.pem");
    writeFileSync(junk, "not a certificate\n");
    const config = loadCoreConfig({ DEFGUARD_PROXY_URL: "http://proxy-c:50051,https://proxy-a.example.com:50051", DEFGUARD_PROXY_GRPC_CA: junk });
    expect(() => prepareProxyLinks(proxyEndpoints(config))).toThrow(`DEFGUARD_PROXY_GRPC_CA: ${junk} is not a PEM certificate`);
  });
});
