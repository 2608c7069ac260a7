// What the Core dials for one proxy URL: the grpc-js target and the channel credentials (plaintext for
// http://, TLS for https:// with an optional CA and client certificate). Errors name the variable.
import { isIP } from "node:net";
import { type ChannelCredentials, credentials } from "@grpc/grpc-js";
import { TlsConfigError, buildChannelCredentials } from "../shared/tls.ts";

/** One proxy to dial, as core/config.ts describes it (a list of these comes with several proxies). */
export interface ProxyEndpoint {
  url: URL;
  caPath?: string;
  clientCertPath?: string;
  clientKeyPath?: string;
  /** DEFGUARD_PROXY_SHARED_SECRET, presented in the call's metadata. */
  sharedSecret?: string;
}

export interface LinkTarget {
  /** `host:port` as grpc-js expects it (IPv6 in brackets). */
  target: string;
  credentials: ChannelCredentials;
  tls: boolean;
  clientCert: boolean;
  sharedSecret?: string;
}

/** The port a URL names, or the scheme's default (80 for http, 443 for https). */
function portOf(url: URL): string {
  return url.port || (url.protocol === "https:" ? "443" : "80");
}

/**
 * Builds the target and credentials for `endpoint`. Throws TlsConfigError naming the variable when a
 * PEM file is unreadable or invalid, only one of client cert/key is set, or TLS is asked for an IP
 * address (Bun's TLS refuses an IP as server name, so the certificate's host name must be used).
 */
export function buildLinkTarget(endpoint: ProxyEndpoint, variable = "DEFGUARD_PROXY_URL"): LinkTarget {
  const { url } = endpoint;
  const target = `${url.hostname}:${portOf(url)}`;
  if (url.protocol === "http:") {
    return { target, credentials: credentials.createInsecure(), tls: false, clientCert: false, sharedSecret: endpoint.sharedSecret };
  }
  const bareHost = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(bareHost) !== 0) {
    throw new TlsConfigError(
      variable,
      `https:// needs the host name that the proxy's certificate names, not the IP address ${bareHost} (TLS cannot verify an IP address here)`,
    );
  }
  const channelCredentials = buildChannelCredentials({
    ca: { variable: "DEFGUARD_PROXY_GRPC_CA", path: endpoint.caPath },
    cert: { variable: "DEFGUARD_PROXY_GRPC_CLIENT_CERT", path: endpoint.clientCertPath },
    key: { variable: "DEFGUARD_PROXY_GRPC_CLIENT_KEY", path: endpoint.clientKeyPath },
  });
  return { target, credentials: channelCredentials, tls: true, clientCert: Boolean(endpoint.clientCertPath), sharedSecret: endpoint.sharedSecret };
}
