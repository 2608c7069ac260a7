// Real nginx (Debian's /usr/sbin/nginx) in front of the Proxy's gRPC port, run with the configuration
// docs/deployment.md gives: its marked ```nginx blocks are read from the doc and only ports and paths are
// put in, so the doc and the test cannot drift apart. Everything nginx writes stays in a temp dir.
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { forEachLine } from "../../shared/line-reader.ts";

export const NGINX_BINARY = "/usr/sbin/nginx";
const DOC = new URL("../../docs/deployment.md", import.meta.url).pathname;
/** `<!-- test/nginx-grpc.test.ts: NAME -->` right above a ```nginx block marks it as the one the test runs. */
const MARKED_BLOCK = /<!-- test\/nginx-grpc\.test\.ts: (\w+) -->\n```nginx\n([\s\S]*?)```/g;
const STOP_TIMEOUT_MS = 10_000;
const LISTEN_TIMEOUT_MS = 10_000;

/** The marked blocks of docs/deployment.md by name (`main`: top level of nginx.conf, `server`: inside http). */
export function documentedNginxBlocks(): Record<string, string> {
  const blocks: Record<string, string> = {};
  for (const [, name, body] of readFileSync(DOC, "utf8").matchAll(MARKED_BLOCK)) blocks[name!] = body!;
  return blocks;
}

/** Replaces `from` by `to` in `text`; throws when the doc no longer holds `from` exactly once. */
function substitute(text: string, from: string, to: string): string {
  const parts = text.split(from);
  if (parts.length !== 2) throw new Error(`docs/deployment.md's nginx block holds ${JSON.stringify(from)} ${parts.length - 1} times, expected once: update test/support/nginx.ts`);
  return parts.join(to);
}

export interface NginxFiles {
  serverCert: string;
  serverKey: string;
  /** The CA nginx checks client certificates against (ssl_client_certificate). */
  clientCa: string;
}

export interface NginxOptions {
  /** The port nginx listens on, on 127.0.0.1. */
  port: number;
  /** The Proxy's plaintext gRPC port (grpc_pass). */
  upstreamPort: number;
  files: NginxFiles;
}

/** nginx.conf: the doc's blocks with this test's ports and files, wrapped in what a test run needs. */
export function nginxConfig(dir: string, options: NginxOptions): string {
  const { main, server } = documentedNginxBlocks();
  if (main === undefined || server === undefined) throw new Error("docs/deployment.md lost its marked nginx blocks (main, server)");
  let block = substitute(server, "listen 50051 ssl http2;", `listen 127.0.0.1:${options.port} ssl http2;`);
  block = substitute(block, "/etc/defguard/certs/proxy.pem", options.files.serverCert);
  block = substitute(block, "/etc/defguard/certs/proxy-key.pem", options.files.serverKey);
  block = substitute(block, "/etc/defguard/certs/ca.pem", options.files.clientCa);
  block = substitute(block, "grpc_pass grpc://127.0.0.1:50052;", `grpc_pass grpc://127.0.0.1:${options.upstreamPort};`);
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) => `    ${kind}_temp_path ${join(dir, kind)};`).join("\n");
  return `daemon off;
worker_processes 1;
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "error.log")} notice;
${main}
events { worker_connections 256; }
http {
    access_log off;
${temp}
${block}
}
`;
}

/** Resolves once something accepts TCP on 127.0.0.1:`port`; rejects after LISTEN_TIMEOUT_MS. */
async function waitForListener(port: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + LISTEN_TIMEOUT_MS;
  while (Date.now() < deadline && !exited()) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await Bun.sleep(50);
  }
  throw new Error(`nginx did not listen on 127.0.0.1:${port}`);
}

export class NginxProcess {
  /** nginx's own output (stderr) and its error log, for a failing test's message. */
  readonly lines: string[] = [];
  private constructor(
    readonly dir: string,
    private readonly child: ReturnType<typeof Bun.spawn>,
  ) {}

  /** Writes the config into `dir` and runs nginx in the foreground; resolves once it listens. */
  static async start(dir: string, options: NginxOptions): Promise<NginxProcess> {
    const config = join(dir, "nginx.conf");
    writeFileSync(config, nginxConfig(dir, options));
    const child = Bun.spawn([NGINX_BINARY, "-p", dir, "-c", config, "-e", join(dir, "error.log")], {
      stdin: "ignore",
      stdout: "ignore",
      stderr: "pipe",
    });
    const nginx = new NginxProcess(dir, child);
    void forEachLine(child.stderr as ReadableStream<Uint8Array>, (line) => nginx.lines.push(line));
    try {
      await waitForListener(options.port, () => child.exitCode !== null);
    } catch (err) {
      await nginx.stop();
      throw new Error(`${(err as Error).message}:\n${nginx.log()}`);
    }
    return nginx;
  }

  /** nginx's stderr and error log. */
  log(): string {
    const errorLog = join(this.dir, "error.log");
    return [...this.lines, existsSync(errorLog) ? readFileSync(errorLog, "utf8") : ""].join("\n");
  }

  /** `nginx -s reload`: new workers with the config; old ones finish their connections (worker_shutdown_timeout). */
  reload(): void {
    this.child.kill("SIGHUP");
  }

  /** Fast shutdown (SIGTERM: connections are closed at once), SIGKILL if it lingers. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await this.child.exited;
    clearTimeout(timer);
  }
}

/** A temp dir nginx's workers (nobody, when the test runs as root) may enter. Remove with rmSync. */
export function nginxDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "dg-nginx-"));
  chmodSync(dir, 0o755);
  return dir;
}
