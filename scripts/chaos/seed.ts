// One enrolled device for the chaos load: through the admin API (network, user, enrollment token) and the
// proxy (enrollment start, device), as a user would; its polling token makes each poll a real request
// that the Core answers from the database.
import { generateKeyPairSync } from "node:crypto";

const ADMIN = { username: "admin", password: "pass123" };

async function json(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

function expectStatus(what: string, status: number, wanted: number, body: unknown): void {
  if (status !== wanted) throw new Error(`chaos seed: ${what} answered ${status} ${JSON.stringify(body)}`);
}

/** A device key as a desktop client makes it: X25519, the raw public key in base64. */
function deviceKey(): string {
  const jwk = generateKeyPairSync("x25519").publicKey.export({ format: "jwk" });
  return Buffer.from(jwk.x!, "base64url").toString("base64");
}

/** Returns the polling token of a freshly enrolled device. */
export async function seedPollingToken(adminUrl: string, proxyUrl: string): Promise<string> {
  const login = await json(`${adminUrl}/api/v1/auth`, ADMIN);
  expectStatus("admin login", login.status, 200, login.body);
  const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  const asAdmin = (path: string, body: unknown) => json(`${adminUrl}${path}`, body, { cookie });
  const suffix = Date.now().toString(36);
  const network = await asAdmin("/api/v1/network", { name: `chaos-${suffix}`, address: "10.123.0.1/16", port: 51820, endpoint: "vpn.example.com", allowed_ips: "10.123.0.0/16" });
  expectStatus("network", network.status, 201, network.body);
  const username = `chaos-${suffix}`;
  const user = await asAdmin("/api/v1/user", { username, first_name: "Chaos", last_name: "Monkey", email: `${username}@example.com` });
  expectStatus("user", user.status, 201, user.body);
  const started = await asAdmin(`/api/v1/user/${username}/start_desktop`, {});
  expectStatus("start_desktop", started.status, 201, started.body);
  const enrollment = await json(`${proxyUrl}/api/v1/enrollment/start`, { token: started.body.enrollment_token });
  expectStatus("enrollment start", enrollment.status, 200, enrollment.body);
  const session = enrollment.headers.get("set-cookie")!.split(";")[0]!;
  const device = await json(`${proxyUrl}/api/v1/enrollment/create_device`, { name: "chaos-laptop", pubkey: deviceKey() }, { cookie: session });
  expectStatus("create_device", device.status, 200, device.body);
  return device.body.token;
}
