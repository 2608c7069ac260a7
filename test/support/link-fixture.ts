// Per-test fixture of the Proxy's link tests: an in-process Proxy and the test Cores dialling it, all
// stopped after each test; plus the request and answer the tests use most.
import { afterEach } from "bun:test";
import { type TestProxy, startTestProxy } from "./in-process-proxy.ts";
import { type TestCore, type TestCoreOptions, connectTestCore } from "./test-core.ts";

export interface LinkFixture {
  /** The proxy of the running test (set by setup()). */
  readonly proxy: TestProxy;
  setup(env?: Record<string, string>): Promise<TestProxy>;
  /** Dials a test Core and waits until the Proxy accepted it. */
  core(options: Omit<TestCoreOptions, "target">): Promise<TestCore>;
  /** Dials without waiting (for refusals); closed after the test like the others. */
  dial(options: Omit<TestCoreOptions, "target"> & { target?: string }): TestCore;
  /** POST /api/v1/poll with `token`. */
  poll(token?: string, headers?: Record<string, string>): Promise<Response>;
  /** For a test that stopped the proxy itself. */
  forgetProxy(): void;
}

/** Registers the afterEach cleanup in the calling test file and returns the fixture. */
export function useLinkFixture(): LinkFixture {
  let proxy: TestProxy | undefined;
  const cores: TestCore[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) core.close();
    await proxy?.stop();
    proxy = undefined;
  });
  const fixture: LinkFixture = {
    get proxy() {
      if (!proxy) throw new Error("setup() first");
      return proxy;
    },
    async setup(env = {}) {
      proxy = await startTestProxy(env);
      return proxy;
    },
    dial(options) {
      const core = connectTestCore({ target: fixture.proxy.target, ...options });
      cores.push(core);
      return core;
    },
    async core(options) {
      const core = fixture.dial(options);
      await core.headers;
      return core;
    },
    poll: (token = "poll-token", headers = {}) =>
      fetch(`${fixture.proxy.url}/api/v1/poll`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ token }),
      }),
    forgetProxy() {
      proxy = undefined;
    },
  };
  return fixture;
}

/** An `instance_info` answer whose device is called `name`. */
export const instanceInfo = (name: string) => ({
  instance_info: {
    device_config: {
      device: { id: 1, name, pubkey: "pk", user_id: 2, created_at: 1700000000 },
      configs: [],
      instance: { id: "inst", name: "Defguard", url: "http://core", proxy_url: "http://proxy", username: "alice" },
    },
  },
});
