// A user's enrollment (start -> create_device -> activate_user) through several proxies behind a load
// balancer, as the scaling tests drive it: each request goes to the next proxy; a proxy that refuses the
// connection is skipped for a moment (a balancer's health check); 503/504/no answer are retried. After
// an answer was lost, the retry may find the step already done, and says how it knew. Every attempt is
// recorded so that a test can account for each one.
import { DEVICE_MESSAGES } from "../../core/flows/enrollment/device-input.ts";
import { SESSION_MESSAGES } from "../../core/flows/enrollment/session.ts";
import { ENROLLMENT_COOKIE } from "../../proxy/http/session-cookies.ts";

/** What one HTTP attempt got: a status, or no answer at all (connection refused or reset). */
export type Outcome = number | "no answer";

export type Step = "start" | "create_device" | "network_info" | "activate_user";

export interface Attempt {
  user: string;
  step: Step;
  proxy: string;
  outcome: Outcome;
  /** True when an earlier attempt of the same step had an unknown outcome (503, 504, no answer). */
  afterLostAnswer: boolean;
  /** The error message of a 4xx/5xx answer. */
  error?: string;
}

export interface EnrollmentResult {
  user: string;
  pubkey: string;
  /** `assigned_ip` of the device's config, as the client got it. */
  assignedIp: string;
  /** How create_device ended: answered, or found done by a retry and read back with network_info. */
  device: "created" | "found after a lost answer";
  activation: "activated" | "found after a lost answer";
}

const RETRY_PAUSE_MS = 100;
const MAX_TRIES = 10;
/** How long a proxy that refused a connection is left out of the rotation. */
const DOWN_FOR_MS = 1_000;

export const isUnknownOutcome = (o: Outcome) => o === "no answer" || o === 503 || o === 504;

/** Round-robin over the proxies' public URLs, leaving out for a while one that did not answer. */
export class Balancer {
  /** Requests sent to each URL. */
  readonly sent = new Map<string, number>();
  private next = 0;
  /** URL -> until when it is left out. */
  private readonly down = new Map<string, number>();

  constructor(readonly urls: string[]) {}

  pick(): string {
    const now = Date.now();
    for (let i = 0; i < this.urls.length; i++) {
      const url = this.urls[this.next++ % this.urls.length]!;
      if ((this.down.get(url) ?? 0) <= now) {
        this.sent.set(url, (this.sent.get(url) ?? 0) + 1);
        return url;
      }
    }
    return this.urls[this.next++ % this.urls.length]!; // all down: try anyway, as a balancer would fail open
  }

  markDown(url: string): void {
    this.down.set(url, Date.now() + DOWN_FOR_MS);
  }
}

interface Answer {
  outcome: Outcome;
  body: any;
}

/** One browser: its cookie jar travels with it from proxy to proxy. */
export class BalancedBrowser {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly user: string,
    private readonly balancer: Balancer,
    private readonly attempts: Attempt[],
  ) {}

  async post(step: Step, body: unknown, afterLostAnswer: boolean): Promise<Answer> {
    const proxy = this.balancer.pick();
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    let answer: Answer;
    try {
      const res = await fetch(`${proxy}/api/v1/enrollment/${step}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
        body: JSON.stringify(body),
      });
      for (const line of res.headers.getSetCookie()) this.remember(line);
      const text = await res.text();
      answer = { outcome: res.status, body: text ? JSON.parse(text) : null };
    } catch {
      this.balancer.markDown(proxy);
      answer = { outcome: "no answer", body: null };
    }
    this.attempts.push({ user: this.user, step, proxy, outcome: answer.outcome, afterLostAnswer, error: answer.body?.error });
    return answer;
  }

  private remember(setCookie: string): void {
    const [pair] = setCookie.split(";");
    const at = pair!.indexOf("=");
    const [name, value] = [pair!.slice(0, at).trim(), pair!.slice(at + 1).trim()];
    if (value === "" || /max-age=0/i.test(setCookie)) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

class EnrollmentFailed extends Error {}

/**
 * Sends `step` until it answers 200, retrying unknown outcomes. After a lost answer, `alreadyDone`
 * decides whether a refusal means an earlier attempt did the work; any other refusal fails the enrollment.
 */
async function settle(browser: BalancedBrowser, step: Step, body: unknown, alreadyDone?: (a: Answer) => boolean): Promise<Answer & { found: boolean }> {
  let lost = false;
  for (let tries = 1; tries <= MAX_TRIES; tries++) {
    const answer = await browser.post(step, body, lost);
    if (answer.outcome === 200) return { ...answer, found: false };
    if (isUnknownOutcome(answer.outcome)) {
      lost = true;
      await Bun.sleep(RETRY_PAUSE_MS * tries);
      continue;
    }
    if (lost && alreadyDone?.(answer)) return { ...answer, found: true };
    throw new EnrollmentFailed(`${step}: ${answer.outcome} ${JSON.stringify(answer.body)}`);
  }
  throw new EnrollmentFailed(`${step}: no 200 in ${MAX_TRIES} tries`);
}

const deviceTaken = (a: Answer) => a.outcome === 400 && [DEVICE_MESSAGES.pubkeyTaken, DEVICE_MESSAGES.nameTaken].includes(a.body?.error);
const tokenSpent = (a: Answer) => a.outcome === 401 && a.body?.error === SESSION_MESSAGES.tokenUsed;

/** The whole enrollment of one user with `token`; throws with the step and answer when it cannot finish. */
export async function enrollThroughBalancer(
  balancer: Balancer,
  attempts: Attempt[],
  user: { username: string; token: string; pubkey: string; password: string },
): Promise<EnrollmentResult> {
  const browser = new BalancedBrowser(user.username, balancer, attempts);
  await settle(browser, "start", { token: user.token });
  if (!browser.cookies.has(ENROLLMENT_COOKIE)) throw new EnrollmentFailed("start: no session cookie");
  const device = { name: "laptop", pubkey: user.pubkey };
  const created = await settle(browser, "create_device", device, deviceTaken);
  // The device exists but its answer was lost: read its configuration back, as the desktop client does.
  const config = created.found ? await settle(browser, "network_info", { pubkey: user.pubkey }) : created;
  const activated = await settle(browser, "activate_user", { password: user.password }, tokenSpent);
  return {
    user: user.username,
    pubkey: user.pubkey,
    assignedIp: config.body.configs[0].assigned_ip,
    device: created.found ? "found after a lost answer" : "created",
    activation: activated.found ? "found after a lost answer" : "activated",
  };
}

/** Runs `count` jobs, at most `concurrency` at once; resolves with each job's result or error, in order. */
export async function runPool<T>(count: number, concurrency: number, job: (i: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await job(i).then(
        (value) => ({ status: "fulfilled", value }) as const,
        (reason) => ({ status: "rejected", reason }) as const,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}
