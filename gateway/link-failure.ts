// Why the gateway's call to the Core failed, in an operator's words. Pure: the details strings are those
// grpc-js and the TLS stack produce under Bun (see the tests), the messages those of the Core.
import { status as GrpcStatus } from "@grpc/grpc-js";

/** Checked in order, against the details of a call that could not be made; the first match explains. */
const CONNECT_RULES: [RegExp, (tls: boolean) => string][] = [
  [/Name resolution failed|ENOTFOUND|EAI_AGAIN/i, () => "the host name in DEFGUARD_GRPC_URL does not resolve"],
  [/ECONNREFUSED/, () => "connection refused: nothing listens at DEFGUARD_GRPC_URL (is the Core running, with DEFGUARD_GATEWAY_SECRET set?)"],
  [/EHOSTUNREACH|ENETUNREACH|ETIMEDOUT/, () => "the Core's host is unreachable (network or firewall)"],
  [/ALTNAME|does not match certificate/i, () => "TLS: the Core's certificate does not name the host in DEFGUARD_GRPC_URL"],
  [/CERT_HAS_EXPIRED|certificate has expired/i, () => "TLS: the Core's certificate has expired"],
  [
    /unable to verify|self[- ]signed|unable to get (local )?issuer|UNABLE_TO_VERIFY|not trusted/i,
    () => "TLS: the Core's certificate is not trusted (not signed by DEFGUARD_GRPC_CA, or by a system root when unset)",
  ],
  [/WRONG_VERSION_NUMBER|wrong version number|packet length too long/i, () => "TLS: the Core does not speak TLS on this port: use an http:// URL"],
  [
    /Failed to connect/,
    (tls) =>
      tls
        ? "the connection closed during the TLS handshake (is DEFGUARD_GRPC_URL the Core's gateway port?)"
        : "the connection closed during HTTP/2 setup: if the Core serves TLS on this port (DEFGUARD_GRPC_CERT), use an https:// URL",
  ],
  [/Connection dropped|ECONNRESET|socket hang up|GOAWAY|keepalive|stream closed/i, () => "the connection to the Core was lost (Core stopped, network failure, or keepalive pings unanswered)"],
];

/** The cause of a failed or ended gateway call; `tls` when DEFGUARD_GRPC_URL is https://. */
export function describeCoreFailure(code: number, details: string, tls: boolean): string {
  if (code === GrpcStatus.UNAUTHENTICATED) {
    return `the Core refused the token (${details}): DEFGUARD_TOKEN must be this network's token from the Core (GET /api/v1/network/{id}/token)`;
  }
  if (code === GrpcStatus.FAILED_PRECONDITION) return `the Core refused this gateway: ${details}`;
  if (code === GrpcStatus.UNIMPLEMENTED) return "the server at DEFGUARD_GRPC_URL does not serve Defguard's gateway service (is this the Core's gateway port, 50055 by default?)";
  for (const [match, explain] of CONNECT_RULES) if (match.test(details)) return explain(tls);
  return details || `gRPC status ${code}`;
}
