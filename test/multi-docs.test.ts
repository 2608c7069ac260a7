// docs/scaling.md against the code: the variables it names exist, the log lines it quotes are printed,
// its DEFGUARD_PROXY_URL example parses, its error example is the core's own wording, and the health
// body it shows is what the core answers.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { coreEnvSchema, loadCoreConfig } from "../core/config.ts";
import { assessHealth } from "../core/health.ts";
import { proxyEnvSchema } from "../proxy/config.ts";
import { EnvError } from "../shared/env.ts";

const ROOT = join(import.meta.dir, "..");
const doc = readFileSync(join(ROOT, "docs/scaling.md"), "utf8");
const KNOWN = [...Object.keys(coreEnvSchema.shape), ...Object.keys(proxyEnvSchema.shape)];
const LOG_LINE = /\b(?:INFO|WARN|ERROR) (defguard\w*(?:::\w+)*): (.+)$/;

function sources(): string {
  return [...new Bun.Glob("{core,proxy,shared}/**/*.{ts,tsx}").scanSync(ROOT)]
    .filter((f) => !f.endsWith(".test.ts"))
    .map((f) => readFileSync(join(ROOT, f), "utf8"))
    .join("\n");
}

describe("docs/scaling.md", () => {
  test("every DEFGUARD_ variable (or family prefix such as DEFGUARD_SMTP_*) is one a service reads", () => {
    const named = new Set(doc.match(/\bDEFGUARD_[A-Z0-9_]+/g) ?? []);
    const unknown = [...named].filter((name) => (name.endsWith("_") ? !KNOWN.some((k) => k.startsWith(name)) : !KNOWN.includes(name)));
    expect(unknown).toEqual([]);
  });

  test("every quoted log line is printed by the code (the parts before and after the URL and numbers)", () => {
    const code = sources();
    const quoted = doc.split("\n").flatMap((line) => {
      const m = LOG_LINE.exec(line.replace(/`$/, ""));
      return m ? [m[2]!] : [];
    });
    expect(quoted.length).toBeGreaterThanOrEqual(5);
    for (const message of quoted) {
      for (const fragment of message.split(/https?:\/\/\S+|\d[\d.:]*|;/).map((f) => f.trim().replace(/[,:]$/, ""))) {
        if (fragment.length < 12) continue;
        expect({ fragment, printed: code.includes(fragment) }).toEqual({ fragment, printed: true });
      }
    }
  });

  test("the DEFGUARD_PROXY_URL example names two proxies", () => {
    const value = /^DEFGUARD_PROXY_URL=(\S+)$/m.exec(doc)![1]!;
    expect(loadCoreConfig({ DEFGUARD_PROXY_URL: value }).proxies.map((p) => p.url.host)).toEqual(["proxy-a.example.com:50051", "proxy-b.example.com:50051"]);
  });

  test("the startup error shown is the core's own, for a list whose second entry is ftp://", () => {
    const shown = /^ {2}- (DEFGUARD_PROXY_URL: entry 2 \(ftp:\/\/proxy-b:50051\).*)$/m.exec(doc)![1]!;
    let problems: string[] = [];
    try {
      loadCoreConfig({ DEFGUARD_PROXY_URL: "https://proxy-a.example.com:50051,ftp://proxy-b:50051" });
    } catch (err) {
      problems = (err as EnvError).problems;
    }
    expect(problems).toEqual([shown]);
  });

  test("the health body shown is what the core answers with two links up", () => {
    const shown = /`200 (\{"status":"ok".*?\}\})`/.exec(doc)![1]!;
    expect(JSON.parse(shown)).toEqual(assessHealth({ up: true }, { connected: 2, configured: 2 }));
  });
});
