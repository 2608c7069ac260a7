// A keep-alive HTTP/1.1 connection for the enrollment load generator: one request at a time, only what the
// bench needs (POST with a body, answers with Content-Length, Set-Cookie). Bun's fetch hands each request
// to its HTTP client thread and back; on a two-core machine that hand-off is CPU taken from the system the
// bench measures. Here the bytes are written and read on the load generator's own thread.
import type { Socket } from "bun";

export interface HttpAnswer {
  status: number;
  /** The `name=value` part of each Set-Cookie header. */
  cookies: string[];
  body: Buffer;
}

const HEADER_END = Buffer.from("\r\n\r\n");

/** Status, headers and body length of an answer whose header block is `head`; throws for what it cannot read. */
function parseHead(head: string): { status: number; length: number; cookies: string[] } {
  const lines = head.split("\r\n");
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? "")?.[1]);
  if (!Number.isInteger(status)) throw new Error(`not an HTTP/1.1 status line: ${lines[0]}`);
  let length = 0;
  const cookies: string[] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "content-length") length = Number(value);
    else if (name === "set-cookie") cookies.push(value.split(";")[0]!);
    else if (name === "transfer-encoding") throw new Error(`answers with Transfer-Encoding ${value} are not read here`);
  }
  return { status, length, cookies };
}

export class HttpConnection {
  /** Bytes received and not yet part of an answer. */
  private received: Buffer = Buffer.alloc(0);
  /** The request waiting for its answer, if any. */
  private waiting: { resolve: (answer: HttpAnswer) => void; reject: (error: Error) => void } | undefined;
  /** Set once the socket is closed or failed: later requests fail with it. */
  private failure: Error | undefined;

  private constructor(
    private readonly host: string,
    private socket: Socket<undefined> | undefined,
  ) {}

  /** Connects to `url`'s host and port (http only). */
  static async open(url: URL): Promise<HttpConnection> {
    const connection = new HttpConnection(url.host, undefined);
    connection.socket = await Bun.connect({
      hostname: url.hostname,
      port: Number(url.port),
      socket: {
        data: (_socket, chunk) => connection.onData(chunk),
        close: () => connection.fail(new Error("connection closed")),
        error: (_socket, error) => connection.fail(error),
      },
    });
    return connection;
  }

  /** POSTs `body` as JSON to `path`; resolves with the whole answer. One request at a time. */
  post(path: string, body: string, cookie?: string): Promise<HttpAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiting) return Promise.reject(new Error("one request at a time on a connection"));
    const head =
      `POST ${path} HTTP/1.1\r\nHost: ${this.host}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n${cookie ? `Cookie: ${cookie}\r\n` : ""}\r\n`;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket!.write(head + body);
    });
  }

  close(): void {
    this.socket?.end();
  }

  private onData(chunk: Buffer): void {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    const end = this.received.indexOf(HEADER_END);
    if (end < 0 || !this.waiting) return;
    let head: ReturnType<typeof parseHead>;
    try {
      head = parseHead(this.received.subarray(0, end).toString("latin1"));
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    const bodyStart = end + HEADER_END.length;
    if (this.received.length < bodyStart + head.length) return;
    const body = this.received.subarray(bodyStart, bodyStart + head.length);
    this.received = this.received.subarray(bodyStart + head.length);
    const { resolve } = this.waiting;
    this.waiting = undefined;
    resolve({ status: head.status, cookies: head.cookies, body });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }
}
