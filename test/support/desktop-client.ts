// The Defguard desktop client's requests to a Proxy, replayed as the client sends them, read from its
// source at DESKTOP_CLIENT_TAG (DefGuard/client). Two senders, as in the client:
// - its web view (React), through the Tauri HTTP plugin, which adds the web view's Origin. The
//   enrollment calls send the WHOLE `defguard_proxy=` Set-Cookie line of `enrollment/start` back as
//   `Cookie`, and useEnrollmentApi.tsx names two headers by the constants' names, not their values
//   (`CLIENT_VERSION_HEADER: ...` in an object literal), so those literal names go on the wire;
// - its Rust side (src-tauri/src/enterprise/periodic/config.rs), reqwest, no Origin, no cookie,
//   `defguard-client-version` and `defguard-client-platform`, polling every 30 s.
import protobuf from "protobufjs";
import { PROTO_PATH } from "../../shared/proto.ts";

/** The client release the sequences and fields were read from. */
export const DESKTOP_CLIENT_TAG = "v1.6.9";
export const DESKTOP_CLIENT_VERSION = "1.6.9";
/** The web view's Origin: Linux and macOS, then Windows. */
export const WEBVIEW_ORIGINS = ["tauri://localhost", "http://tauri.localhost"] as const;
export type WebviewOrigin = (typeof WEBVIEW_ORIGINS)[number];
/** src-tauri/src/lib.rs: the oldest Core and Proxy the client accepts without a warning. */
export const MIN_CORE_VERSION = "1.6.0";
export const MIN_PROXY_VERSION = "1.6.0";

export interface Answer {
  status: number;
  /** Parsed JSON; null for an empty body. */
  body: any;
  headers: Headers;
}

const platformInfoType = new protobuf.Root().loadSync(PROTO_PATH, { keepCase: true }).lookupType("defguard.proxy.ClientPlatformInfo");

/** utils.rs construct_platform_header(): ClientPlatformInfo encoded, in standard base64. */
export function platformHeader(): string {
  const info = { os_family: "linux", os_type: "Debian", version: "12", bitness: "64-bit", architecture: "x86_64" };
  return Buffer.from(platformInfoType.encode(platformInfoType.create(info)).finish()).toString("base64");
}

async function answerOf(res: Response): Promise<Answer> {
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : JSON.parse(text), headers: res.headers };
}

/** A URL with its trailing `/` cut, as AddInstanceInitForm does with what the user typed. */
const withoutSlash = (url: string) => (url.endsWith("/") ? url.slice(0, -1) : url);

export class DesktopClient {
  constructor(readonly origin: WebviewOrigin) {}

  /** A POST from the web view through the Tauri HTTP plugin. */
  private async webview(url: string, body: unknown, headers: Record<string, string>): Promise<Answer> {
    const res = await fetch(url, { method: "POST", headers: { ...headers, origin: this.origin }, body: JSON.stringify(body) });
    return answerOf(res);
  }

  /** useEnrollmentApi.tsx's headers beside the cookie: two literal names, as the object literal spells them. */
  private enrollmentHeaders(cookie: string): Record<string, string> {
    return {
      "Content-Type": "application/json",
      Cookie: cookie,
      CLIENT_VERSION_HEADER: DESKTOP_CLIENT_VERSION,
      CLIENT_PLATFORM_HEADER: platformHeader(),
    };
  }

  /**
   * AddInstanceInitForm: `<url>/api/v1/enrollment/start` with only Content-Type; the answer, the
   * `defguard_proxy=` Set-Cookie line (the client refuses to go on without it) and `<url>/api/v1`.
   */
  async addInstance(url: string, token: string): Promise<{ start: Answer; authCookie: string | undefined; proxyApiUrl: string }> {
    const start = await this.webview(`${withoutSlash(url)}/api/v1/enrollment/start`, { token }, { "Content-Type": "application/json" });
    const authCookie = start.headers.getSetCookie().find((cookie) => cookie.startsWith("defguard_proxy="));
    return { start, authCookie, proxyApiUrl: `${withoutSlash(url)}/api/v1` };
  }

  /** AddInstanceDeviceForm (an enrolled user): create_device with Content-Type and the cookie line only. */
  createDeviceForInstance(proxyApiUrl: string, authCookie: string, name: string, pubkey: string): Promise<Answer> {
    return this.webview(`${proxyApiUrl}/enrollment/create_device`, { name, pubkey }, { "Content-Type": "application/json", Cookie: authCookie });
  }

  /** AddInstanceInitForm, for an instance it knows: network_info with the device's key. */
  networkInfo(proxyApiUrl: string, authCookie: string, pubkey: string): Promise<Answer> {
    return this.webview(`${proxyApiUrl}/enrollment/network_info`, { pubkey }, { "Content-Type": "application/json", Cookie: authCookie });
  }

  /** useEnrollmentApi.createDevice (enrollment inside the client: DesktopSetup step). */
  enrollmentCreateDevice(proxyApiUrl: string, authCookie: string, name: string, pubkey: string): Promise<Answer> {
    return this.webview(`${proxyApiUrl}/enrollment/create_device`, { name, pubkey }, this.enrollmentHeaders(authCookie));
  }

  /** useEnrollmentApi.registerCodeMfaStart: `{ method: 'Totp' }` (MfaMethod's string value). */
  registerMfaStart(proxyApiUrl: string, authCookie: string, method: "Totp" | "Email"): Promise<Answer> {
    return this.webview(`${proxyApiUrl}/enrollment/register-mfa/code/start`, { method }, this.enrollmentHeaders(authCookie));
  }

  /** useEnrollmentApi.registerCodeMfaFinish: `{ code, method }` from MfaSetupStep's CodeForm. */
  registerMfaFinish(proxyApiUrl: string, authCookie: string, method: "Totp" | "Email", code: string): Promise<Answer> {
    return this.webview(`${proxyApiUrl}/enrollment/register-mfa/code/finish`, { code, method }, this.enrollmentHeaders(authCookie));
  }

  /** useEnrollmentApi.activateUser from SendFinishStep: the start answer's phone_number and the password. */
  activateUser(proxyApiUrl: string, authCookie: string, phoneNumber: string | null, password: string): Promise<Answer> {
    return this.webview(`${proxyApiUrl}/enrollment/activate_user`, { phone_number: phoneNumber, password }, this.enrollmentHeaders(authCookie));
  }

  /** MFAModal: `${proxy_url + 'api/v1/client-mfa'}/start`, proxy_url as the instance answered it. */
  clientMfaStart(proxyUrl: string, body: { method: number; pubkey: string; location_id: number }): Promise<Answer> {
    return this.webview(`${proxyUrl}api/v1/client-mfa/start`, body, this.mfaHeaders());
  }

  /** MFAModal's code form: `{ token, code }`. */
  clientMfaFinish(proxyUrl: string, token: string, code: string): Promise<Answer> {
    return this.webview(`${proxyUrl}api/v1/client-mfa/finish`, { token, code }, this.mfaHeaders());
  }

  private mfaHeaders(): Record<string, string> {
    return { "Content-Type": "application/json", CLIENT_VERSION_HEADER: DESKTOP_CLIENT_VERSION, CLIENT_PLATFORM_HEADER: platformHeader() };
  }
}

/** config.rs poll_instance: `Url::join("/api/v1/poll")` on the instance's proxy_url, reqwest's JSON. */
export async function pollInstance(proxyUrl: string, token: string): Promise<Answer> {
  const res = await fetch(new URL("/api/v1/poll", proxyUrl), {
    method: "POST",
    headers: { "content-type": "application/json", "defguard-client-version": DESKTOP_CLIENT_VERSION, "defguard-client-platform": platformHeader() },
    body: JSON.stringify({ token }),
  });
  return answerOf(res);
}
