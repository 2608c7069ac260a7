// The gateway's configuration: Defguard gateway's own variable names, parsed once at startup.
import { z } from "zod";
import { bindAddress, bool, durationSeconds, loggingSchema, logLevel, optionalPath, optionalPort, parseEnv } from "../shared/env.ts";

/** Linux's limit on an interface name (IFNAMSIZ 16, with the terminating NUL). */
const MAX_IFNAME_LENGTH = 15;

const grpcUrl = z
  .string({ error: "expected the Core's gRPC URL, such as http://core:50055 (Defguard shows it beside the token)" })
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "expected a URL such as http://core:50055 or https://core.example.com:50055" });
      return z.NEVER;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      ctx.addIssue({ code: "custom", message: `expected an http:// or https:// URL, got ${url.protocol}//` });
      return z.NEVER;
    }
    if (url.pathname !== "/" && url.pathname !== "") {
      ctx.addIssue({ code: "custom", message: "expected no path in the URL, only scheme, host and port" });
      return z.NEVER;
    }
    return url;
  });

const ifname = z
  .string()
  .default("wg0")
  .refine(
    (v) => v.length <= MAX_IFNAME_LENGTH && /^[A-Za-z0-9_.-]+$/.test(v) && v !== "." && v !== "..",
    `expected an interface name of 1-${MAX_IFNAME_LENGTH} letters, digits, '_', '-' or '.'`,
  );

/** A shell command run by `sh -c` at one point of the interface's life; unset: nothing runs. */
const hook = z.string().optional();

export const gatewayEnvSchema = z.object({
  DEFGUARD_TOKEN: z.string({ error: "expected the network's gateway token (the Core's GET /api/v1/network/{id}/token)" }),
  DEFGUARD_GRPC_URL: grpcUrl,
  /** PEM CA trusted for an https:// Core; unset: the system's roots. */
  DEFGUARD_GRPC_CA: optionalPath,
  DEFGUARD_IFNAME: ifname,
  DEFGUARD_STATS_PERIOD: durationSeconds("30"),
  DEFGUARD_USERSPACE: bool(false),
  /** Source NAT for VPN traffic leaving by another interface (gateway/masquerade.ts). */
  DEFGUARD_MASQUERADE: bool(false),
  DEFGUARD_GATEWAY_NAME: z.string().optional(),
  /** Port of the health check (`GET /health`); unset: none. */
  HEALTH_PORT: optionalPort(),
  /** Address of the health check. */
  DEFGUARD_HTTP_BIND_ADDRESS: bindAddress,
  PRE_UP: hook,
  POST_UP: hook,
  PRE_DOWN: hook,
  POST_DOWN: hook,
  DEFGUARD_LOG_LEVEL: logLevel,
  ...loggingSchema,
});

export interface GatewayConfig {
  token: string;
  grpcUrl: URL;
  caPath?: string;
  ifname: string;
  statsPeriodSeconds: number;
  /** Use wireguard-go even when the kernel has WireGuard. */
  userspace: boolean;
  /**
   * VPN clients' traffic leaving by another interface gets the gateway's address as its source, so the
   * hosts behind the gateway need no route back to the VPN subnet (an nftables table per interface).
   */
  masquerade: boolean;
  /** Sent in ConfigurationRequest.name; the Core shows it beside the host name. */
  name?: string;
  hooks: { preUp?: string; postUp?: string; preDown?: string; postDown?: string };
  /** The health check's address, when HEALTH_PORT is set. */
  health?: { host: string; port: number };
  log: { level: z.output<typeof gatewayEnvSchema>["DEFGUARD_LOG_LEVEL"]; format: "text" | "json" };
}

/** Parses the environment; throws EnvError listing every problem, each naming its variable. */
export function loadGatewayConfig(env: Record<string, string | undefined>): Readonly<GatewayConfig> {
  const e = parseEnv(gatewayEnvSchema, env);
  return Object.freeze({
    token: e.DEFGUARD_TOKEN,
    grpcUrl: e.DEFGUARD_GRPC_URL,
    caPath: e.DEFGUARD_GRPC_CA,
    ifname: e.DEFGUARD_IFNAME,
    statsPeriodSeconds: e.DEFGUARD_STATS_PERIOD,
    userspace: e.DEFGUARD_USERSPACE,
    masquerade: e.DEFGUARD_MASQUERADE,
    name: e.DEFGUARD_GATEWAY_NAME,
    hooks: { preUp: e.PRE_UP, postUp: e.POST_UP, preDown: e.PRE_DOWN, postDown: e.POST_DOWN },
    health: e.HEALTH_PORT === undefined ? undefined : { host: e.DEFGUARD_HTTP_BIND_ADDRESS, port: e.HEALTH_PORT },
    log: { level: e.DEFGUARD_LOG_LEVEL, format: e.DEFGUARD_LOG_FORMAT },
  });
}
