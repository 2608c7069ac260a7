// Turns a failed or ended link call (a gRPC status and its details) into words an admin can act on.
// Pure: the details strings are those grpc-js and the TLS stack produce under Bun (see the tests).
import { type Metadata, status as GrpcStatus } from "@grpc/grpc-js";

export interface LinkFailureContext {
  /** True when the link dials https:// (TLS). */
  tls: boolean;
  /** True when the Core presents a client certificate. */
  clientCert: boolean;
  /** True when the Core presents DEFGUARD_PROXY_SHARED_SECRET. */
  presentsSecret?: boolean;
  /** Set when the answer's headers were not gRPC: their content type. */
  nonGrpcContentType?: string;
}

interface Rule {
  match: RegExp;
  explain: (context: LinkFailureContext) => string;
}

/** Checked in order; the first match wins. Each explanation names what to check. */
const RULES: Rule[] = [
  { match: /Name resolution failed|ENOTFOUND|EAI_AGAIN/i, explain: () => "name resolution failed: the proxy's host name does not resolve" },
  { match: /ECONNREFUSED/, explain: () => "connection refused: nothing listens on the proxy's gRPC port (is the proxy running?)" },
  { match: /EHOSTUNREACH|ENETUNREACH|ETIMEDOUT/, explain: () => "the proxy's host is unreachable (network or firewall)" },
  {
    match: /ALTNAME|does not match certificate/i,
    explain: () => "TLS: name mismatch: the proxy's certificate does not name the host in DEFGUARD_PROXY_URL",
  },
  { match: /CERT_HAS_EXPIRED|certificate has expired/i, explain: () => "TLS: the proxy's certificate has expired" },
  { match: /CERT_NOT_YET_VALID|certificate is not yet valid/i, explain: () => "TLS: the proxy's certificate is not valid yet" },
  {
    match: /unable to verify|self[- ]signed|unable to get (local )?issuer|UNABLE_TO_VERIFY|not trusted/i,
    explain: () => "TLS: the proxy's certificate is not trusted (not signed by DEFGUARD_PROXY_GRPC_CA, or by a system root when unset)",
  },
  {
    match: /CERTIFICATE_REQUIRED|certificate required/i,
    explain: () =>
      "TLS: the proxy requires a client certificate: set DEFGUARD_PROXY_GRPC_CLIENT_CERT and DEFGUARD_PROXY_GRPC_CLIENT_KEY",
  },
  {
    match: /BAD_CERTIFICATE|UNKNOWN_CA|bad certificate|unknown ca|CERTIFICATE_UNKNOWN/i,
    explain: () => "TLS: the proxy rejected this core's client certificate (not signed by the proxy's DEFGUARD_PROXY_GRPC_CLIENT_CA)",
  },
  {
    match: /WRONG_VERSION_NUMBER|wrong version number|packet length too long|HTTP_REQUEST/i,
    explain: () => "TLS: the proxy does not speak TLS on this port: use an http:// URL, or enable TLS on the proxy",
  },
  {
    // What nginx does once the call's body passes client_max_body_size (1 MiB unless set to 0).
    match: /Received RST_STREAM with code 2\b/,
    explain: () =>
      "the stream was reset (HTTP/2 INTERNAL_ERROR): a reverse proxy in between may limit the call's body; behind nginx set client_max_body_size 0 (docs/deployment.md)",
  },
  { match: /keepalive|ping timeout/i, explain: () => "the proxy stopped answering keepalive pings (connection half-open or network down)" },
  { match: /Failed to connect/, explain: explainClosedDuringSetup },
];

function explainClosedDuringSetup(context: LinkFailureContext): string {
  if (!context.tls) {
    return "the proxy closed the connection during HTTP/2 setup: if the proxy uses TLS, use an https:// URL";
  }
  return context.clientCert
    ? "the proxy closed the connection during the TLS handshake: it may not trust this core's client certificate (DEFGUARD_PROXY_GRPC_CLIENT_CERT)"
    : "the proxy closed the connection during the TLS handshake: it may require a client certificate (DEFGUARD_PROXY_GRPC_CLIENT_CERT and _KEY)";
}

/**
 * Answers that are not gRPC: a reverse proxy's or web server's own page. grpc-js reports them only as
 * `Received HTTP status code <n>` (mapped to UNAVAILABLE for 429/502/503/504, UNKNOWN and others else).
 */
const HTTP_ANSWERS: Record<number, string> = {
  502: "the reverse proxy answered HTTP 502: the Proxy behind it is down",
  503: "the reverse proxy answered HTTP 503: the Proxy behind it is down",
  504: "the reverse proxy answered HTTP 504: the Proxy behind it did not answer in time",
  400: "the reverse proxy answered HTTP 400: it refused the request (a reverse proxy that checks client certificates answers this when DEFGUARD_PROXY_GRPC_CLIENT_CERT is missing or not signed by the CA it trusts)",
};

function explainHttpAnswer(status: number): string {
  return (
    HTTP_ANSWERS[status] ??
    `the server at DEFGUARD_PROXY_URL answered HTTP ${status}, not gRPC (is it a web server, or a reverse proxy that does not pass this port to the Proxy's gRPC port?)`
  );
}

/** The content type of response headers that are not gRPC (`text/html`, or `none`); null for a gRPC answer. */
export function nonGrpcContentType(headers: Metadata): string | null {
  const value = headers.get("content-type")[0];
  const contentType = typeof value === "string" ? value : "";
  return contentType.startsWith("application/grpc") ? null : contentType || "none";
}

/** The cause of a call that could not be established or that ended, in an admin's words. */
export function describeLinkFailure(code: number, details: string, context: LinkFailureContext): string {
  const httpStatus = /^Received HTTP status code (\d{3})$/.exec(details);
  if (httpStatus) return explainHttpAnswer(Number(httpStatus[1]));
  if (context.nonGrpcContentType !== undefined) {
    return `the server at DEFGUARD_PROXY_URL answered with content-type ${context.nonGrpcContentType}, not gRPC (is this the Proxy's gRPC port?)`;
  }
  if (code === GrpcStatus.OK) return "the proxy closed the stream (it is shutting down or restarting)";
  if (code === GrpcStatus.FAILED_PRECONDITION) return `version refused: the proxy refused this core: ${details}`;
  if (code === GrpcStatus.UNIMPLEMENTED) {
    return "the server at DEFGUARD_PROXY_URL does not serve the Defguard proxy service (wrong port, or a proxy older than 1.6?)";
  }
  if (code === GrpcStatus.CANCELLED) return "the call was cancelled";
  if (code === GrpcStatus.UNAUTHENTICATED) {
    return context.presentsSecret
      ? "the proxy refused this core's shared secret: DEFGUARD_PROXY_SHARED_SECRET differs between the core and the proxy"
      : "the proxy requires a shared secret: set DEFGUARD_PROXY_SHARED_SECRET on the core to the proxy's value";
  }
  for (const rule of RULES) if (rule.match.test(details)) return rule.explain(context);
  if (/Connection dropped|ECONNRESET|socket hang up|GOAWAY|stream closed/i.test(details)) {
    return "the connection to the proxy was lost (proxy stopped, network failure, or keepalive pings unanswered)";
  }
  return details || `gRPC status ${code}`;
}
