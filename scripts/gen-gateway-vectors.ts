// Writes test/fixtures/gateway-wire-vectors.json: one or more samples of every message of Defguard 1.6's
// gateway.proto and firewall.proto, encoded with DEFGUARD's own schema files (read from the mirrored
// DefGuard/proto repository at commit 5dfc8c8, never from ours). shared/gateway-proto.test.ts then checks
// that our proto decodes and re-encodes each one byte for byte. Rerun by hand only:
//   bun scripts/gen-gateway-vectors.ts [path to DefGuard/proto bare repo]
import { $ } from "bun";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import protobuf from "protobufjs";
import { GATEWAY_VECTOR_SAMPLES, VECTOR_JSON_OPTIONS } from "./gateway-vector-samples.ts";

const DEFGUARD_PROTO_COMMIT = "5dfc8c8";
const repo = process.argv[2] ?? "/work/.mirror/DefGuard+proto/repo";
const out = new URL("../test/fixtures/gateway-wire-vectors.json", import.meta.url);

const dir = mkdtempSync(join(tmpdir(), "defguard-proto-"));
try {
  // Defguard's gateway.proto imports "firewall.proto" from the include path enterprise/firewall.
  mkdirSync(join(dir, "wireguard"));
  writeFileSync(join(dir, "wireguard/gateway.proto"), await $`git -C ${repo} show ${DEFGUARD_PROTO_COMMIT}:wireguard/gateway.proto`.text());
  writeFileSync(join(dir, "firewall.proto"), await $`git -C ${repo} show ${DEFGUARD_PROTO_COMMIT}:enterprise/firewall/firewall.proto`.text());
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => (target === "firewall.proto" ? join(dir, "firewall.proto") : protobuf.util.path.resolve(origin, target));
  root.loadSync(join(dir, "wireguard/gateway.proto"), { keepCase: true });
  root.resolveAll();

  const vectors = GATEWAY_VECTOR_SAMPLES.map(({ message, sample, value }) => {
    const type = root.lookupType(message);
    // fromObject drops unknown fields silently: a misspelt sample field would vanish unnoticed.
    const unknown = Object.keys(value).filter((key) => !(key in type.fields));
    const instance = type.fromObject(value);
    const problem = unknown.length > 0 ? `unknown fields ${unknown.join(", ")}` : type.verify(instance);
    if (problem) throw new Error(`${message} ${sample}: ${problem}`);
    const bytes = type.encode(instance).finish();
    const decoded = type.toObject(type.decode(bytes), VECTOR_JSON_OPTIONS);
    return { message, sample, hex: Buffer.from(bytes).toString("hex"), decoded };
  });
  writeFileSync(out, `${JSON.stringify(vectors, null, 2)}\n`);
  console.log(`${vectors.length} vectors written to ${out.pathname}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
