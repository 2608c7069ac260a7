// Our gateway dialling a Core that serves gateways over TLS (DEFGUARD_GRPC_CERT/_KEY): it connects when
// DEFGUARD_GRPC_CA trusts the Core's certificate, and is refused, saying so, when it does not. The gateway
// runs in a network namespace (root); PostgreSQL needed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestCa, makeCa, makeCert, removeCa } from "./support/certs.ts";
import { VpnStack, vpnNetwork, vpnStackUnavailable } from "./support/vpn-stack.ts";

const unavailable = vpnStackUnavailable();
if (unavailable) process.stderr.write(`vpn-tls tests skipped: ${unavailable}\n`);

describe.skipIf(unavailable !== undefined)("our gateway and a Core's gateway port over TLS", () => {
  let stack: VpnStack;
  let ca: TestCa;
  let otherCa: TestCa;
  let networkId: number;

  beforeAll(async () => {
    ca = await makeCa({ name: "Gateway Test CA" });
    otherCa = await makeCa({ name: "Some Other CA" });
    const cert = await makeCert(ca, { names: ["localhost"] });
    stack = await VpnStack.start({ DEFGUARD_GRPC_CERT: cert.certPath, DEFGUARD_GRPC_KEY: cert.keyPath });
    const network = await stack.admin("POST", "/network", vpnNetwork("tls-office"));
    expect(network.status).toBe(201);
    networkId = network.body.id;
  });

  afterAll(async () => {
    await stack?.stop();
    if (ca) removeCa(ca);
    if (otherCa) removeCa(otherCa);
  });

  test("with DEFGUARD_GRPC_CA trusting the Core's certificate, it connects and configures its interface", async () => {
    const gateway = await stack.startGateway(networkId, { DEFGUARD_GRPC_URL: "https://localhost:50055", DEFGUARD_GRPC_CA: ca.certPath });
    expect(gateway.matching("Connected to Defguard gRPC endpoint https://localhost:50055").length).toBe(1);
    expect(gateway.matching(/Configured interface .* for network tls-office/).length).toBe(1);
    await gateway.stop();
  });

  test("with a CA that did not sign it, the gateway is refused, says why, and keeps retrying", async () => {
    const token = (await stack.admin("GET", `/network/${networkId}/token`)).body.token as string;
    const gateway = stack.lab.spawn("untrusting gateway", stack.gwNs, [process.execPath, "gateway/main.ts"], {
      DEFGUARD_TOKEN: token,
      DEFGUARD_GRPC_URL: "https://localhost:50055",
      DEFGUARD_GRPC_CA: otherCa.certPath,
      DEFGUARD_IFNAME: stack.lab.name("wgt"),
    });
    const refused = await gateway.waitFor("Cannot connect to Defguard gRPC endpoint https://localhost:50055");
    expect(refused).toContain(
      "configuration request failed: TLS: the Core's certificate is not trusted (not signed by DEFGUARD_GRPC_CA, or by a system root when unset); retrying in",
    );
    expect(gateway.matching("Connected to Defguard gRPC endpoint").length).toBe(0);
    await gateway.stop();
  });

  test("plain http:// to the TLS port is refused too, the log saying to use https://", async () => {
    const token = (await stack.admin("GET", `/network/${networkId}/token`)).body.token as string;
    const gateway = stack.lab.spawn("plaintext gateway", stack.gwNs, [process.execPath, "gateway/main.ts"], {
      DEFGUARD_TOKEN: token,
      DEFGUARD_GRPC_URL: "http://127.0.0.1:50055",
      DEFGUARD_IFNAME: stack.lab.name("wgp"),
    });
    const refused = await gateway.waitFor("Cannot connect to Defguard gRPC endpoint http://127.0.0.1:50055");
    expect(refused).toContain("the connection closed during HTTP/2 setup: if the Core serves TLS on this port (DEFGUARD_GRPC_CERT), use an https:// URL");
    expect(gateway.matching("Connected to Defguard gRPC endpoint").length).toBe(0);
    await gateway.stop();
  });
});
