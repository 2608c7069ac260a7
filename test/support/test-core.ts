// A test peer playing Defguard Core on the link: a real grpc-js client that dials the Proxy, sends the
// version metadata and answers each CoreRequest with whatever the test's `answer` function returns.
import * as grpc from "@grpc/grpc-js";
import { ProxyClientConstructor, proxyServiceV1, type CoreRequest__Output, type CoreResponse } from "../../shared/proto.ts";
import type { ProxyClient } from "../../shared/proto.ts";
import { SYSTEM_HEADER, VERSION_HEADER } from "../../shared/version.ts";

/** A response without its id; undefined means "never answer this one". */
export type TestAnswer = Omit<CoreResponse, "id"> | undefined;

export interface TestCoreOptions {
  /** `host:port` of the Proxy's gRPC server. */
  target: string;
  credentials?: grpc.ChannelCredentials;
  /** The Core's component version; null sends none. Default 1.6.0. */
  version?: string | null;
  /** Dial `/defguard.proxy.v1.Proxy/Bidi` instead of the 1.x path. */
  v1?: boolean;
  answer?: (request: CoreRequest__Output) => TestAnswer | Promise<TestAnswer>;
  /** More metadata on the call, e.g. `{ "defguard-proxy-secret": "..." }`. */
  metadata?: Record<string, string>;
  channelOptions?: grpc.ChannelOptions;
}

export interface TestCore {
  /** Every request received, in order. */
  requests: CoreRequest__Output[];
  /** Resolves with the Proxy's response headers (the call is accepted), rejects if the call fails first. */
  headers: Promise<grpc.Metadata>;
  /** Resolves with the call's final status. */
  status: Promise<grpc.StatusObject>;
  /** Cancels the call (the Core dying mid-stream, as seen by the Proxy). */
  cancel(): void;
  /** Cancels if still open and closes the channel. */
  close(): void;
}

const ProxyV1Constructor = grpc.makeGenericClientConstructor(proxyServiceV1 as grpc.ServiceDefinition, "Proxy");

export function connectTestCore(options: TestCoreOptions): TestCore {
  const Constructor = options.v1 ? ProxyV1Constructor : ProxyClientConstructor;
  const client = new Constructor(
    options.target,
    options.credentials ?? grpc.credentials.createInsecure(),
    options.channelOptions,
  ) as unknown as ProxyClient;
  const metadata = new grpc.Metadata();
  const version = options.version === undefined ? "1.6.0" : options.version;
  if (version !== null) metadata.set(VERSION_HEADER, version);
  metadata.set(SYSTEM_HEADER, "Linux;6.1;x86_64");
  for (const [key, value] of Object.entries(options.metadata ?? {})) metadata.set(key, value);
  const call = client.Bidi(metadata);
  const requests: CoreRequest__Output[] = [];
  let ended = false;
  const status = new Promise<grpc.StatusObject>((resolve) =>
    call.on("status", (s: grpc.StatusObject) => {
      ended = true;
      resolve(s);
    }),
  );
  const headers = new Promise<grpc.Metadata>((resolve, reject) => {
    call.on("metadata", resolve);
    void status.then((s) => reject(Object.assign(new Error(`call ended: ${s.code} ${s.details}`), s)));
  });
  headers.catch(() => {});
  call.on("error", () => {}); // the status promise reports it
  call.on("data", async (request: CoreRequest__Output) => {
    requests.push(request);
    const body = await options.answer?.(request);
    if (body !== undefined && !ended) call.write({ ...body, id: request.id });
  });
  return {
    requests,
    headers,
    status,
    cancel: () => call.cancel(),
    close: () => {
      if (!ended) call.cancel();
      client.close();
    },
  };
}

/** Polls `condition` until true; throws after `timeoutMs` (generous: a bound, not a measurement). */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
}
