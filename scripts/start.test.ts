import { describe, expect, test } from "bun:test";
import { childEnvs } from "./start.ts";

describe("bun run start: where each child listens", () => {
  test("issue 14: unset (or empty), the admin API and both gRPC servers bind loopback; the pages keep their default", () => {
    for (const env of [{}, { DEFGUARD_GRPC_BIND_ADDRESS: "", DEFGUARD_HTTP_BIND_ADDRESS: "" }]) {
      const { proxy, core } = childEnvs(env);
      expect(proxy.DEFGUARD_GRPC_BIND_ADDRESS).toBe("127.0.0.1");
      expect(proxy.DEFGUARD_HTTP_BIND_ADDRESS || undefined).toBeUndefined();
      expect([core.DEFGUARD_HTTP_BIND_ADDRESS, core.DEFGUARD_GRPC_BIND_ADDRESS, core.DEFGUARD_PROXY_URL]).toEqual(["127.0.0.1", "127.0.0.1", "http://127.0.0.1:50051"]);
    }
  });

  test("set explicitly, each is passed on as given", () => {
    const { proxy, core } = childEnvs({ DEFGUARD_GRPC_BIND_ADDRESS: "0.0.0.0", DEFGUARD_HTTP_BIND_ADDRESS: "::", DEFGUARD_PROXY_URL: "http://proxy:50051", DEFGUARD_SMTP_HOST: "mail" });
    expect([proxy.DEFGUARD_GRPC_BIND_ADDRESS, proxy.DEFGUARD_HTTP_BIND_ADDRESS]).toEqual(["0.0.0.0", "::"]);
    expect([core.DEFGUARD_GRPC_BIND_ADDRESS, core.DEFGUARD_HTTP_BIND_ADDRESS, core.DEFGUARD_PROXY_URL, core.DEFGUARD_SMTP_HOST]).toEqual(["0.0.0.0", "::", "http://proxy:50051", "mail"]);
  });
});
