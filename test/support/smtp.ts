// A real SMTP server for tests (smtp-server on 127.0.0.1): it keeps every message it accepts, parsed as a
// mail client would read it, and can speak plain SMTP, STARTTLS or implicit TLS with a CA made per run.
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from "smtp-server";
import { simpleParser, type AddressObject } from "mailparser";
import { createTestCertificates, type TestCertificates } from "./smtp-certificates.ts";

export type TestSmtpTls = "none" | "starttls" | "implicit";

export interface TestSmtpServerOptions {
  /** How clients must connect; "none" (the default) disables STARTTLS altogether. */
  tls?: TestSmtpTls;
  /** When set, AUTH PLAIN/LOGIN with exactly these credentials is required before sending. */
  auth?: { user: string; password: string };
  /** A fixed port; by default 0 on the first start and the same port on later starts. */
  port?: number;
}

export interface ReceivedMail {
  /** The envelope: MAIL FROM and every RCPT TO, as the client sent them. */
  envelopeFrom: string;
  envelopeTo: string[];
  /** Header addresses, lower-cased. */
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string | undefined;
  /** Whether the session was encrypted (implicit TLS or after STARTTLS). */
  secure: boolean;
  /** The user the client authenticated as, if any. */
  authUser: string | undefined;
  raw: string;
}

const HOST = "127.0.0.1";
/** How long stop() lets open client connections finish before closing them. */
const CLOSE_TIMEOUT_MS = 500;

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list.flatMap((a) => a.value.map((v) => (v.address ?? "").toLowerCase()));
}

/** A test SMTP server; `start()` it, read `messages` or `waitFor()` one, `stop()` it (and start again). */
export class TestSmtpServer {
  /** Every message accepted since construction (or the last `clear()`), in arrival order. */
  readonly messages: ReceivedMail[] = [];
  /** The CA that signed the server's certificate, for clients to trust; set by start() when tls != none. */
  ca: string | undefined;
  /** Makes RCPT TO fail with a 550 for the addresses it returns a message for. */
  rejectRecipient: ((address: string) => string | undefined) | undefined;
  /** The port bound by the first start(); later starts reuse it so clients configured with it reconnect. */
  private boundPort: number | undefined;
  /** The running server, if started. */
  private server: SMTPServer | undefined;
  /** Wakes every pending waitFor() when a message arrives. */
  private readonly listeners = new Set<() => void>();
  /** Created on the first TLS start and reused, so a client keeps trusting the same CA across restarts. */
  private certificates: TestCertificates | undefined;
  /** While set, a fully received message gets its reply only once `released` settles (see holdReplies). */
  private hold: { arrived: () => void; released: Promise<void> } | undefined;

  constructor(private readonly options: TestSmtpServerOptions = {}) {
    this.boundPort = options.port;
  }

  get host(): string {
    return HOST;
  }

  /** The port; throws before the first start(). */
  get port(): number {
    if (this.boundPort === undefined) throw new Error("TestSmtpServer: start() it first to learn its port");
    return this.boundPort;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const tls = this.options.tls ?? "none";
    if (tls !== "none") {
      this.certificates ??= await createTestCertificates();
      this.ca = this.certificates.caPem;
    }
    const server = new SMTPServer(this.serverOptions(tls));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.boundPort ?? 0, HOST, () => {
        server.off("error", reject);
        resolve();
      });
    });
    server.on("error", () => {}); // a client dropping its connection is not a test failure
    const address = server.server.address();
    if (address && typeof address === "object") this.boundPort = address.port;
    this.server = server;
  }

  /** Stops listening and closes open connections; messages are kept. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  clear(): void {
    this.messages.length = 0;
  }

  /**
   * Makes the server keep the client waiting for its reply to the next messages' DATA (a slow server):
   * `arrived` resolves when one such message has been received, `release()` answers all held ones.
   */
  holdReplies(): { arrived: Promise<void>; release: () => void } {
    let arrived!: () => void;
    let release!: () => void;
    const arrivedPromise = new Promise<void>((resolve) => (arrived = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.hold = { arrived, released };
    return {
      arrived: arrivedPromise,
      release: () => {
        this.hold = undefined;
        release();
      },
    };
  }

  /** Resolves with the first message (already received or arriving) that matches, or rejects after timeoutMs. */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs = 10_000): Promise<ReceivedMail> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.find(predicate);
        if (!found) return false;
        done();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`TestSmtpServer: no matching message within ${timeoutMs} ms (${this.messages.length} received)`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      const listener = () => void check();
      this.listeners.add(listener);
      check();
    });
  }

  /** Resolves once at least `count` messages match (all of them), or rejects after timeoutMs. */
  async waitForCount(count: number, predicate: (mail: ReceivedMail) => boolean = () => true, timeoutMs = 10_000): Promise<ReceivedMail[]> {
    const matching = () => this.messages.filter(predicate);
    if (count <= 0) return matching();
    await this.waitFor(() => matching().length >= count, timeoutMs).catch(() => {
      throw new Error(`TestSmtpServer: ${matching().length} of ${count} messages within ${timeoutMs} ms`);
    });
    return matching();
  }

  private serverOptions(tls: TestSmtpTls): SMTPServerOptions {
    const auth = this.options.auth;
    return {
      secure: tls === "implicit",
      key: this.certificates?.serverKeyPem,
      cert: this.certificates?.serverCertPem,
      disabledCommands: tls === "none" ? ["STARTTLS"] : [],
      authOptional: auth === undefined,
      allowInsecureAuth: tls === "none",
      authMethods: ["PLAIN", "LOGIN"],
      closeTimeout: CLOSE_TIMEOUT_MS,
      logger: false,
      onAuth: (credentials, _session, callback) => {
        if (auth && credentials.username === auth.user && credentials.password === auth.password) {
          return callback(null, { user: credentials.username });
        }
        const err = Object.assign(new Error("Invalid username or password"), { responseCode: 535 });
        callback(err);
      },
      onRcptTo: (address, _session, callback) => {
        const reason = this.rejectRecipient?.(address.address);
        if (reason === undefined) return callback();
        callback(Object.assign(new Error(reason), { responseCode: 550 }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          const hold = this.hold;
          hold?.arrived();
          const reply = () => this.receive(Buffer.concat(chunks), session).then(() => callback(), callback);
          if (hold) void hold.released.then(reply);
          else void reply();
        });
      },
    };
  }

  private async receive(raw: Buffer, session: SMTPServerSession): Promise<void> {
    const parsed = await simpleParser(raw);
    const from = session.envelope.mailFrom;
    this.messages.push({
      envelopeFrom: from ? from.address : "",
      envelopeTo: session.envelope.rcptTo.map((r) => r.address),
      from: addresses(parsed.from)[0] ?? "",
      to: addresses(parsed.to),
      subject: parsed.subject ?? "",
      text: parsed.text ?? "",
      html: typeof parsed.html === "string" ? parsed.html : "",
      messageId: parsed.messageId,
      secure: session.secure,
      authUser: typeof session.user === "string" ? session.user : undefined,
      raw: raw.toString("utf8"),
    });
    for (const listener of [...this.listeners]) listener();
  }
}

/** Builds and starts a test SMTP server. */
export async function startTestSmtpServer(options: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
  const server = new TestSmtpServer(options);
  await server.start();
  return server;
}
