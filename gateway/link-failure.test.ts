import { describe, expect, test } from "bun:test";
import { status } from "@grpc/grpc-js";
import { describeCoreFailure } from "./link-failure.ts";

describe("describeCoreFailure", () => {
  test("a refused token names DEFGUARD_TOKEN and keeps the Core's message", () => {
    expect(describeCoreFailure(status.UNAUTHENTICATED, "Invalid token", false)).toBe(
      "the Core refused the token (Invalid token): DEFGUARD_TOKEN must be this network's token from the Core (GET /api/v1/network/{id}/token)",
    );
  });
  test("TLS trust and plaintext against a TLS port, as grpc-js words them under Bun", () => {
    expect(describeCoreFailure(status.UNAVAILABLE, "No connection established. Last error: Error: unable to verify the first certificate. Resolution note: ", true)).toBe(
      "TLS: the Core's certificate is not trusted (not signed by DEFGUARD_GRPC_CA, or by a system root when unset)",
    );
    expect(describeCoreFailure(status.UNAVAILABLE, "No connection established. Last error: Failed to connect (2026-12-04T08:01:58.536Z). Resolution note: ", false)).toBe(
      "the connection closed during HTTP/2 setup: if the Core serves TLS on this port (DEFGUARD_GRPC_CERT), use an https:// URL",
    );
  });
  test("nothing listening, a lost connection, another service, and anything else passed through", () => {
    expect(describeCoreFailure(status.UNAVAILABLE, "connect ECONNREFUSED 127.0.0.1:50055", false)).toContain("connection refused: nothing listens at DEFGUARD_GRPC_URL");
    expect(describeCoreFailure(status.UNAVAILABLE, "Connection dropped", false)).toBe("the connection to the Core was lost (Core stopped, network failure, or keepalive pings unanswered)");
    expect(describeCoreFailure(status.UNIMPLEMENTED, "", false)).toContain("does not serve Defguard's gateway service");
    expect(describeCoreFailure(status.NOT_FOUND, "Network with id 7 not found", false)).toBe("Network with id 7 not found");
  });
});
