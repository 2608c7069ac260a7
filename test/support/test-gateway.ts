// A test peer playing a Defguard gateway: a real grpc-js client of gateway.GatewayService that sends the
// metadata a gateway sends (token, hostname, version) and records what the Core answers.
import * as grpc from "@grpc/grpc-js";
import {
  type Configuration__Output,
  type GatewayServiceClient,
  GatewayServiceClientConstructor,
  type StatsUpdate,
  type Update__Output,
} from "../../shared/gateway-proto.ts";
import { SYSTEM_HEADER, VERSION_HEADER } from "../../shared/version.ts";
import { waitFor } from "./test-core.ts";

export interface TestGatewayOptions {
  /** `host:port` of the Core's gateway server. */
  target: string;
  /** The JWT; null sends no authorization header. */
  token: string | null;
  hostname?: string | null;
  /** Default 1.6.0; null sends none. */
  version?: string | null;
  credentials?: grpc.ChannelCredentials;
  /** grpc-js shares one connection between clients of one target unless told otherwise. */
  ownConnection?: boolean;
}

export interface UpdatesCall {
  received: Update__Output[];
  status: Promise<grpc.StatusObject>;
  /** Waits (bounded) until `predicate` holds for what was received. */
  until(predicate: (received: Update__Output[]) => boolean, what?: string): Promise<void>;
  cancel(): void;
}

export interface TestGateway {
  client: GatewayServiceClient;
  config(name?: string): Promise<Configuration__Output>;
  /** The response headers of the last Config call. */
  configHeaders?: grpc.Metadata;
  updates(): UpdatesCall;
  /** Sends `messages` on one Stats call and ends it; resolves with the call's answer. */
  stats(messages: StatsUpdate[]): Promise<void>;
  close(): void;
}

export function connectTestGateway(options: TestGatewayOptions): TestGateway {
  const channelOptions = options.ownConnection ? { "grpc.use_local_subchannel_pool": 1 } : {};
  const client = new GatewayServiceClientConstructor(options.target, options.credentials ?? grpc.credentials.createInsecure(), channelOptions) as GatewayServiceClient;
  const metadata = () => {
    const m = new grpc.Metadata();
    if (options.token !== null) m.set("authorization", options.token);
    const hostname = options.hostname === undefined ? "gw-test" : options.hostname;
    if (hostname !== null) m.set("hostname", hostname);
    const version = options.version === undefined ? "1.6.0" : options.version;
    if (version !== null) m.set(VERSION_HEADER, version);
    m.set(SYSTEM_HEADER, "Linux;6.1;x86_64");
    return m;
  };
  const gateway: TestGateway = {
    client,
    config: (name) =>
      new Promise((resolve, reject) => {
        const call = client.Config(name === undefined ? {} : { name }, metadata(), (err, answer) => (err ? reject(err) : resolve(answer!)));
        call.on("metadata", (headers: grpc.Metadata) => (gateway.configHeaders = headers));
      }),
    updates() {
      const call = client.Updates({}, metadata());
      const received: Update__Output[] = [];
      call.on("data", (update: Update__Output) => received.push(update));
      call.on("error", () => {}); // the status promise reports it
      const status = new Promise<grpc.StatusObject>((resolve) => call.on("status", resolve));
      return {
        received,
        status,
        until: (predicate, what = "updates") => waitFor(() => predicate(received), 10_000, what),
        cancel: () => call.cancel(),
      };
    },
    stats: (messages) =>
      new Promise((resolve, reject) => {
        const call = client.Stats(metadata(), (err) => (err ? reject(err) : resolve()));
        for (const message of messages) call.write(message);
        call.end();
      }),
    close: () => client.close(),
  };
  return gateway;
}
