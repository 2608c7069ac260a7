// The state the enrollment bench starts from, made before any timing the way an admin makes it: through
// the core's admin API, one /16 network open to everyone and users each with a fresh enrollment token.
import { adminCall, adminLogin } from "../test/support/multi-stack.ts";

/** A /16: 65,533 host addresses, far more devices than any bench run enrolls. */
export const BENCH_NETWORK = {
  name: "bench",
  address: "10.100.0.1/16",
  port: 51820,
  endpoint: "vpn.example.com",
  allowed_ips: "10.100.0.0/16",
  dns: "10.100.0.1",
};

/** Admin API calls in flight while preparing users: the core is otherwise idle then. */
const SETUP_CONCURRENCY = 8;

async function expectStatus(answer: Promise<{ status: number; body: any }>, status: number, what: string): Promise<any> {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`${what}: expected ${status}, got ${got} ${JSON.stringify(body)}`);
  return body;
}

/** Creates the bench network; returns its id. */
export async function createBenchNetwork(adminUrl: string, cookie: string): Promise<number> {
  const network = await expectStatus(adminCall(adminUrl, cookie, "POST", "/api/v1/network", BENCH_NETWORK), 201, "POST /api/v1/network");
  return network.id as number;
}

/** Creates user `username` (no password) and starts their enrollment; returns the enrollment token. */
async function invite(adminUrl: string, cookie: string, username: string): Promise<string> {
  const user = { username, first_name: "Bench", last_name: `User ${username}`, email: `${username}@example.com` };
  await expectStatus(adminCall(adminUrl, cookie, "POST", "/api/v1/user", user), 201, "POST /api/v1/user");
  const started = await expectStatus(adminCall(adminUrl, cookie, "POST", `/api/v1/user/${username}/start_enrollment`, {}), 201, "start_enrollment");
  return started.enrollment_token as string;
}

/**
 * Logs in as admin, creates users `<prefix>-<n>` for n < count, each with an enrollment token; returns the
 * tokens in creation order.
 */
export async function inviteUsers(adminUrl: string, adminPassword: string, prefix: string, count: number): Promise<string[]> {
  const cookie = await adminLogin(adminUrl, adminPassword);
  const tokens: string[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) tokens[i] = await invite(adminUrl, cookie, `${prefix}-${i}`);
  };
  await Promise.all(Array.from({ length: SETUP_CONCURRENCY }, worker));
  return tokens;
}

/** Logs in as admin and creates the bench network. */
export async function prepareNetwork(adminUrl: string, adminPassword: string): Promise<number> {
  return createBenchNetwork(adminUrl, await adminLogin(adminUrl, adminPassword));
}
