// The outbox worker of one core: claims due mails, sends each through SMTP, records the outcome, and
// retries failures with capped exponential backoff. Any number of cores may run one on the same database.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { CoreConfig } from "../config.ts";
import type { Logger } from "../../shared/logger.ts";
import { secretBoxOf } from "../mfa/secret-box.ts";
import { claimNextMail, markFailed, markRetry, markSent, nextDueInMs, openedMail, type ClaimedMail } from "./outbox.ts";
import { DEFAULT_RETRY_POLICY, retryDelayMs, shouldGiveUp, type RetryPolicy } from "./retry-schedule.ts";
import { describeSmtp, resolveSmtpSettings, type Queryable, type SmtpSettings } from "./smtp-settings.ts";
import { describeSendError, isPermanentFailure, sendMail, DEFAULT_SMTP_TIMEOUT_MS, type SmtpTlsOptions } from "./transport.ts";

/** Without wakeUp(), the outbox is looked at this often (mail enqueued by other cores, settings changed). */
export const DEFAULT_POLL_INTERVAL_MS = 10_000;
/**
 * How long a claim lasts. Far above the longest send (three SMTP timeouts), so a live worker never loses
 * its claim; a core that died mid-send gives its mail back to the others this long after.
 */
export const DEFAULT_LEASE_MS = 300_000;
/** Shortest pause between passes that found nothing to do, so rows another core holds are not spun on. */
const MIN_IDLE_PAUSE_MS = 50;

export interface MailWorkerOptions {
  /** Names this worker in claimed_by; default `<hostname>:<pid>:<random>`. */
  workerId?: string;
  pollIntervalMs?: number;
  leaseMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Each SMTP wait (connect, greeting, reply); default DEFAULT_SMTP_TIMEOUT_MS. */
  smtpTimeoutMs?: number;
  /** A private CA for the SMTP server's certificate. */
  tls?: SmtpTlsOptions;
}

export interface MailWorkerDeps {
  sql: Queryable;
  /** `secretKey` (DEFGUARD_SECRET_KEY) opens the bodies sealed while they waited. */
  config: Pick<CoreConfig, "smtp" | "secretKey">;
  log: Logger;
  options?: MailWorkerOptions;
}

export interface MailWorker {
  readonly workerId: string;
  /** Starts polling; the first pass runs at once. */
  start(): void;
  /** Runs a pass now (or right after the running one): call it after enqueueing and committing. */
  wakeUp(): void;
  /** Stops polling and resolves once the send in flight, if any, is recorded. */
  stop(): Promise<void>;
}

export function createMailWorker(deps: MailWorkerDeps): MailWorker {
  return new OutboxWorker(deps);
}

class OutboxWorker implements MailWorker {
  readonly workerId: string;
  private readonly policy: RetryPolicy;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  /** Between start() and stop(). */
  private running = false;
  /** The next pass, when one is scheduled. */
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The pass running now, if any; stop() waits for it. */
  private pass: Promise<void> | undefined;
  /** wakeUp() came during a pass: run another right after it. */
  private wakeRequested = false;
  /** The SMTP server last used (describeSmtp) or "none": changes are logged once. */
  private lastSmtp: string | undefined;

  constructor(private readonly deps: MailWorkerDeps) {
    const options = deps.options ?? {};
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  wakeUp(): void {
    if (!this.running) return;
    if (this.pass) this.wakeRequested = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.pass;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.runPass(), delayMs);
  }

  private runPass(): void {
    this.timer = undefined;
    this.pass = this.drain()
      .catch((err) => {
        this.deps.log.error("Mail outbox pass failed", { error: describeSendError(err) });
        return this.pollIntervalMs;
      })
      .then((nextDelayMs) => {
        this.pass = undefined;
        if (!this.running) return;
        const wake = this.wakeRequested;
        this.wakeRequested = false;
        this.schedule(wake ? 0 : nextDelayMs);
      });
  }

  /** Sends every due mail; returns how long to wait before the next pass. */
  private async drain(): Promise<number> {
    const settings = await resolveSmtpSettings(this.deps.sql, this.deps.config);
    this.noteSmtp(settings);
    if (!settings) return this.pollIntervalMs;
    while (this.running) {
      const mail = await claimNextMail(this.deps.sql, this.workerId, this.leaseMs);
      if (!mail) break;
      await this.deliver(settings, mail);
    }
    const dueInMs = await nextDueInMs(this.deps.sql);
    return Math.max(MIN_IDLE_PAUSE_MS, Math.min(this.pollIntervalMs, dueInMs ?? this.pollIntervalMs));
  }

  private async deliver(settings: SmtpSettings, sealed: ClaimedMail): Promise<void> {
    const { sql, log } = this.deps;
    const fields = { id: sealed.id, kind: sealed.kind, to: sealed.to, attempt: sealed.attempts };
    let mail: ClaimedMail;
    try {
      mail = openedMail(sealed, secretBoxOf(this.deps.config));
    } catch (err) {
      // Sealed under another DEFGUARD_SECRET_KEY (or altered): no retry can send it.
      const error = err instanceof Error ? err.message : String(err);
      if (await markFailed(sql, sealed.id, this.workerId, error)) log.error("Gave up sending mail", { ...fields, error });
      return;
    }
    try {
      await sendMail(settings, mail, this.deps.options?.tls, this.deps.options?.smtpTimeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS);
    } catch (err) {
      await this.recordFailure(mail, err);
      return;
    }
    if (await markSent(sql, mail.id, this.workerId)) log.info("Sent mail", fields);
    else log.warn("Sent mail after losing its claim; another core may have sent it too", fields);
  }

  private async recordFailure(mail: ClaimedMail, err: unknown): Promise<void> {
    const { sql, log } = this.deps;
    const error = describeSendError(err);
    const fields = { id: mail.id, kind: mail.kind, to: mail.to, attempt: mail.attempts, error };
    if (isPermanentFailure(err) || shouldGiveUp(mail.attempts, this.policy)) {
      if (await markFailed(sql, mail.id, this.workerId, error)) log.error("Gave up sending mail", fields);
      return;
    }
    const delayMs = retryDelayMs(mail.attempts, this.policy);
    if (await markRetry(sql, mail.id, this.workerId, error, delayMs)) {
      log.warn("Sending mail failed, will retry", { ...fields, retry_in_ms: delayMs });
    }
  }

  private noteSmtp(settings: SmtpSettings | null): void {
    const current = settings ? describeSmtp(settings) : "none";
    if (current === this.lastSmtp) return;
    this.lastSmtp = current;
    if (settings) this.deps.log.info(`Sending mail through ${current}`);
    else this.deps.log.warn("SMTP is not configured (no host or no sender): mail waits in the outbox until it is");
  }
}
