// Starts the Proxy in this process on loopback port 0, with its log lines captured for assertions.
import { createLogger } from "../../shared/logger.ts";
import { loadProxyConfig } from "../../proxy/config.ts";
import { type ProxyHandle, startProxy } from "../../proxy/start-proxy.ts";

export interface TestProxy {
  proxy: ProxyHandle;
  /** Every log line so far (text format). */
  lines: string[];
  /** `http://127.0.0.1:<port>` of the web server. */
  url: string;
  /** `127.0.0.1:<port>` of the gRPC server. */
  target: string;
  stop(): Promise<void>;
}

/** `env` adds to (or overrides) loopback binds on port 0 and a test cookie key. */
export async function startTestProxy(env: Record<string, string | undefined> = {}): Promise<TestProxy> {
  const config = loadProxyConfig({
    DEFGUARD_GRPC_BIND_ADDRESS: "127.0.0.1",
    DEFGUARD_PROXY_GRPC_PORT: "0",
    DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1",
    DEFGUARD_PROXY_HTTP_PORT: "0",
    DEFGUARD_PROXY_COOKIE_KEY: "test-cookie-key-that-is-long-enough-0123456789",
    ...env,
  });
  const lines: string[] = [];
  const logger = createLogger({ level: "debug", format: "text", target: "defguard_proxy", write: (l) => lines.push(l) });
  const proxy = await startProxy(config, logger);
  return {
    proxy,
    lines,
    url: `http://127.0.0.1:${proxy.httpPort}`,
    target: `127.0.0.1:${proxy.grpcPort}`,
    stop: () => proxy.stop(),
  };
}
