// `bun run certs [--out certs] [--mtls] [--san NAME]... [--days N] [--new-ca] [--owner UID[:GID]]`
// Writes a private CA and the certificates of the Core -> Proxy gRPC link (docs/install.md, TLS):
//   ca.pem, ca-key.pem          the CA (kept, so that renewing reuses it; never mount ca-key.pem)
//   proxy.pem, proxy-key.pem    the proxy's server certificate: proxy, localhost, 127.0.0.1, ::1, --san names
//   core.pem, core-key.pem      with --mtls: the core's client certificate
// Key files are written with mode 0600. Nothing secret is printed.
import { chownSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createAuthority, issueCoreCertificate, issueProxyCertificate, loadAuthority, type Authority } from "./private-ca.ts";

const CA_DAYS = 3650;
const DEFAULT_LEAF_DAYS = 825;
/** The uid of the `bun` user the image runs as (Dockerfile): the one that must read the key files. */
const CONTAINER_UID = 1000;
const KEY_MODE = 0o600;
const CERT_MODE = 0o644;

const USAGE = `usage: bun run certs [--out DIR] [--mtls] [--san NAME]... [--days N] [--new-ca] [--owner UID[:GID]]
  --out DIR      where to write (default: certs)
  --mtls         also issue the core's client certificate (mutual TLS)
  --san NAME     another name of the proxy (DNS name or IP address), repeatable
  --days N       validity of the proxy and core certificates (default: ${DEFAULT_LEAF_DAYS})
  --new-ca       make a new CA even if DIR already holds one (cores must then trust the new ca.pem)
  --owner U[:G]  chown the files written (as root), e.g. 1000:1000 for the containers' bun user`;

interface Options {
  out: string;
  mtls: boolean;
  sans: string[];
  days: number;
  newCa: boolean;
  owner?: { uid: number; gid: number };
}

class UsageError extends Error {}

function parseOwner(text: string): { uid: number; gid: number } {
  const match = /^(\d+)(?::(\d+))?$/.exec(text);
  if (!match) throw new UsageError(`--owner: expected UID or UID:GID, got ${JSON.stringify(text)}`);
  const uid = Number(match[1]);
  return { uid, gid: match[2] === undefined ? uid : Number(match[2]) };
}

function parseOptions(argv: string[]): Options | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: "string", default: "certs" },
      mtls: { type: "boolean", default: false },
      san: { type: "string", multiple: true, default: [] },
      days: { type: "string", default: String(DEFAULT_LEAF_DAYS) },
      "new-ca": { type: "boolean", default: false },
      owner: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return "help";
  const days = Number(values.days);
  if (!Number.isSafeInteger(days) || days < 1) throw new UsageError(`--days: expected a positive whole number, got ${JSON.stringify(values.days)}`);
  const sans = values.san.map((name) => name.trim());
  const bad = sans.find((name) => name === "" || /[\s/,]/.test(name));
  if (bad !== undefined) throw new UsageError(`--san: expected a DNS name or IP address, got ${JSON.stringify(bad)}`);
  return { out: values.out, mtls: values.mtls, sans, days, newCa: values["new-ca"], owner: values.owner ? parseOwner(values.owner) : undefined };
}

/**
 * Writes `content` to a file created fresh with `mode`, so a key never exists with wider permissions.
 * PEM files end with a newline, so `cat a/ca.pem b/ca.pem > bundle.pem` gives a valid CA bundle.
 */
function writeFresh(path: string, content: string, mode: number, owner: Options["owner"]): void {
  rmSync(path, { force: true });
  writeFileSync(path, content.endsWith("\n") ? content : `${content}\n`, { mode, flag: "wx" });
  chmodSync(path, mode); // the umask may have narrowed a certificate's mode
  if (owner) chownSync(path, owner.uid, owner.gid);
}

async function obtainAuthority(options: Options, written: string[]): Promise<Authority> {
  const certPath = join(options.out, "ca.pem");
  const keyPath = join(options.out, "ca-key.pem");
  const haveCert = existsSync(certPath);
  const haveKey = existsSync(keyPath);
  if (!options.newCa && haveCert && haveKey) {
    console.log(`Reusing the CA in ${certPath} (pass --new-ca to replace it)`);
    return loadAuthority(readFileSync(certPath, "utf8"), readFileSync(keyPath, "utf8"));
  }
  if (!options.newCa && haveCert !== haveKey) {
    throw new UsageError(`${haveCert ? keyPath : certPath} is missing while ${haveCert ? certPath : keyPath} exists; pass --new-ca to make a new CA`);
  }
  const authority = await createAuthority(CA_DAYS);
  writeFresh(certPath, authority.certificate.toString("pem"), CERT_MODE, options.owner);
  writeFresh(keyPath, authority.privateKeyPem, KEY_MODE, options.owner);
  written.push(certPath, keyPath);
  return authority;
}

async function run(options: Options): Promise<void> {
  mkdirSync(options.out, { recursive: true, mode: 0o700 });
  const written: string[] = [];
  const authority = await obtainAuthority(options, written);

  const proxy = await issueProxyCertificate(authority, options.sans, options.days);
  writeFresh(join(options.out, "proxy.pem"), proxy.certificatePem, CERT_MODE, options.owner);
  writeFresh(join(options.out, "proxy-key.pem"), proxy.privateKeyPem, KEY_MODE, options.owner);
  written.push(join(options.out, "proxy.pem"), join(options.out, "proxy-key.pem"));

  if (options.mtls) {
    const core = await issueCoreCertificate(authority, options.days);
    writeFresh(join(options.out, "core.pem"), core.certificatePem, CERT_MODE, options.owner);
    writeFresh(join(options.out, "core-key.pem"), core.privateKeyPem, KEY_MODE, options.owner);
    written.push(join(options.out, "core.pem"), join(options.out, "core-key.pem"));
  }

  console.log(`Wrote ${written.join(", ")}`);
  console.log(`Proxy certificate names: ${proxy.names.join(", ")}`);
  console.log(`Valid until ${proxy.certificate.notAfter.toISOString()}; key files are readable by their owner only (0600).`);
  const uid = process.getuid?.();
  if (!options.owner && uid !== undefined && uid !== CONTAINER_UID) {
    console.log(
      `The containers run as uid ${CONTAINER_UID} and these keys belong to uid ${uid}: before mounting them, run ` +
        `\`sudo chown ${CONTAINER_UID}:${CONTAINER_UID} ${join(options.out, "*-key.pem")}\` (or re-run as root with --owner ${CONTAINER_UID}:${CONTAINER_UID}).`,
    );
  }
}

try {
  const options = parseOptions(process.argv.slice(2));
  if (options === "help") console.log(USAGE);
  else await run(options);
} catch (err) {
  const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  process.stderr.write(`certs: ${(err as Error).message}\n${usage ? `${USAGE}\n` : ""}`);
  process.exit(usage ? 2 : 1);
}
