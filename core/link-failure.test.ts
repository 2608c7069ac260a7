import { describe, expect, test } from "bun:test";
import { describeLinkFailure } from "./link-failure.ts";

const plain = { tls: false, clientCert: false };
const tls = { tls: true, clientCert: false };
const mtls = { tls: true, clientCert: true };
const lastError = (e: string) => `No connection established. Last error: ${e}. Resolution note: `;

// The details strings below are those grpc-js 1.14 produced under Bun 1.4.5 for each situation.
describe("describeLinkFailure", () => {
  test("name resolution", () => {
    expect(describeLinkFailure(14, "Name resolution failed for target dns:no-such-host.invalid:50051", plain)).toStartWith(
      "name resolution failed",
    );
  });

  test("connection refused", () => {
    expect(describeLinkFailure(14, lastError("Error: connect ECONNREFUSED 127.0.0.1:1"), plain)).toStartWith("connection refused");
  });

  test("certificate not trusted names the CA variable", () => {
    const text = describeLinkFailure(14, lastError("Error: unable to verify the first certificate"), tls);
    expect(text).toContain("not trusted");
    expect(text).toContain("DEFGUARD_PROXY_GRPC_CA");
  });

  test("name mismatch", () => {
    const details = lastError(
      "Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:elsewhere.example",
    );
    expect(describeLinkFailure(14, details, tls)).toContain("name mismatch");
  });

  test("client certificate required names the client certificate variables", () => {
    const details = lastError("error:1000045c:SSL routines:OPENSSL_internal:TLSV1_ALERT_CERTIFICATE_REQUIRED (2026-11-24T05:44:34.436Z)");
    const text = describeLinkFailure(14, details, tls);
    expect(text).toContain("requires a client certificate");
    expect(text).toContain("DEFGUARD_PROXY_GRPC_CLIENT_CERT");
  });

  test("TLS to a plaintext port", () => {
    const details = lastError("Error: error:100000f7:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER");
    expect(describeLinkFailure(14, details, tls)).toContain("does not speak TLS");
  });

  test("a connection closed during setup is explained by what this core dials with", () => {
    const details = lastError("Failed to connect (2026-11-24T05:45:20.933Z)");
    expect(describeLinkFailure(14, details, plain)).toContain("use an https:// URL");
    expect(describeLinkFailure(14, details, tls)).toContain("may require a client certificate");
    expect(describeLinkFailure(14, details, mtls)).toContain("may not trust this core's client certificate");
  });

  test("version refused by the proxy carries the proxy's reason", () => {
    expect(describeLinkFailure(9, "core version 0.1.0 is too old", plain)).toBe(
      "version refused: the proxy refused this core: core version 0.1.0 is too old",
    );
  });

  test("a stream ended by the proxy, and a lost connection", () => {
    expect(describeLinkFailure(0, "OK", plain)).toContain("the proxy closed the stream");
    expect(describeLinkFailure(14, "Connection dropped", plain)).toContain("connection to the proxy was lost");
  });

  test("answers that are not gRPC: a reverse proxy's status page, or a web server", () => {
    // grpc-js maps 502/503/504 to UNAVAILABLE, 400 to INTERNAL, 404 to UNIMPLEMENTED, others to UNKNOWN.
    expect(describeLinkFailure(14, "Received HTTP status code 502", tls)).toBe("the reverse proxy answered HTTP 502: the Proxy behind it is down");
    expect(describeLinkFailure(14, "Received HTTP status code 503", tls)).toBe("the reverse proxy answered HTTP 503: the Proxy behind it is down");
    expect(describeLinkFailure(14, "Received HTTP status code 504", tls)).toContain("did not answer in time");
    expect(describeLinkFailure(13, "Received HTTP status code 400", mtls)).toContain("DEFGUARD_PROXY_GRPC_CLIENT_CERT");
    expect(describeLinkFailure(12, "Received HTTP status code 404", plain)).toBe(
      "the server at DEFGUARD_PROXY_URL answered HTTP 404, not gRPC (is it a web server, or a reverse proxy that does not pass this port to the Proxy's gRPC port?)",
    );
    expect(describeLinkFailure(13, "Received RST_STREAM with code 2 (Internal server error)", tls)).toContain("client_max_body_size 0");
    const html = { ...plain, nonGrpcContentType: "text/html" };
    expect(describeLinkFailure(8, "Received message larger than max (1752460652 vs 4194304)", html)).toContain("content-type text/html, not gRPC");
  });

  test("a proxy refusing the shared secret: what to set, by whether this core presents one", () => {
    const details = "the shared secret presented does not match this proxy's DEFGUARD_PROXY_SHARED_SECRET";
    expect(describeLinkFailure(16, details, { ...tls, presentsSecret: true })).toBe(
      "the proxy refused this core's shared secret: DEFGUARD_PROXY_SHARED_SECRET differs between the core and the proxy",
    );
    expect(describeLinkFailure(16, "this proxy requires a shared secret", plain)).toBe(
      "the proxy requires a shared secret: set DEFGUARD_PROXY_SHARED_SECRET on the core to the proxy's value",
    );
    // A reverse proxy's own 401 is no refusal of the secret.
    expect(describeLinkFailure(16, "Received HTTP status code 401", plain)).toContain("answered HTTP 401, not gRPC");
  });

  test("a wrong service and unknown details", () => {
    expect(describeLinkFailure(12, "The server does not implement the method /defguard.proxy.Proxy/Bidi", plain)).toContain(
      "does not serve the Defguard proxy service",
    );
    expect(describeLinkFailure(13, "something new", plain)).toBe("something new");
    expect(describeLinkFailure(13, "", plain)).toBe("gRPC status 13");
  });
});
