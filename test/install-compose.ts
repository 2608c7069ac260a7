// Reading the install files as Docker Compose does, for the install tests (no Docker engine needed):
// `.env` parsing, `${VAR}` interpolation with its `:-`, `-`, `:?`, `?`, `:+`, `+` forms and `$$`, and the
// merge of override files (-f docker-compose.yml -f docker-compose.tls.yml).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export const ROOT = join(import.meta.dir, "..");
export const BASE_FILE = "docker-compose.yml";
export const TLS_FILE = "docker-compose.tls.yml";
export const MTLS_FILE = "docker-compose.mtls.yml";
/** The file sets `docker compose -f ...` combines: the plain link, TLS, and mutual TLS. */
export const VARIANTS = { plain: [BASE_FILE], tls: [BASE_FILE, TLS_FILE], mtls: [BASE_FILE, TLS_FILE, MTLS_FILE] } as const;
/** The variables .env.example leaves empty and the compose files refuse to start without. */
export const SECRETS = ["DEFGUARD_DB_PASSWORD", "DEFGUARD_DEFAULT_ADMIN_PASSWORD", "DEFGUARD_AUTH_SECRET", "DEFGUARD_PROXY_COOKIE_KEY"];

export type Yaml = null | boolean | number | string | Yaml[] | { [key: string]: Yaml };

export interface HealthCheck {
  test: string[] | string;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}

export interface Service {
  image?: string;
  build?: string | { context: string; target?: string };
  profiles?: string[];
  network_mode?: string;
  cap_add?: string[];
  devices?: string[];
  command?: string[];
  init?: boolean;
  restart?: string;
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: HealthCheck;
  networks?: string[];
  volumes?: (string | { type: string; source: string; target: string; read_only?: boolean; bind?: { create_host_path?: boolean } })[];
}

export interface Compose {
  name?: string;
  services: Record<string, Service>;
  networks?: Record<string, unknown>;
  volumes?: Record<string, unknown>;
}

export class InterpolationError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`${variable}: ${detail}`);
  }
}

/** KEY=VALUE lines as Compose reads .env: `#` comment lines, blank lines, optional quotes. */
export function parseDotEnv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new Error(`not a KEY=VALUE line: ${raw}`);
    const value = match[2]!;
    const quoted = /^(["'])(.*)\1$/.exec(value);
    vars[match[1]!] = quoted ? quoted[2]! : value;
  }
  return vars;
}

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^}])*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** One string interpolated with `vars`; `:?`/`?` on a missing variable throws InterpolationError. */
export function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(REFERENCE, (whole, braced?: string, op?: string, arg?: string, bare?: string) => {
    if (whole === "$$") return "$";
    const name = (braced ?? bare)!;
    const value = vars[name];
    const unset = value === undefined;
    const missing = op?.startsWith(":") ? unset || value === "" : unset;
    switch (op) {
      case ":-":
      case "-":
        return missing ? (arg ?? "") : value!;
      case ":?":
      case "?":
        if (missing) throw new InterpolationError(name, arg || "required variable is missing a value");
        return value!;
      case ":+":
      case "+":
        return missing ? "" : (arg ?? "");
      default:
        return value ?? "";
    }
  });
}

/** Every variable name a compose document reads (`$$` escapes excluded). */
export function referencedVariables(doc: Yaml): Set<string> {
  const names = new Set<string>();
  walkStrings(doc, (s) => {
    for (const m of s.matchAll(REFERENCE)) if (m[0] !== "$$") names.add((m[1] ?? m[4])!);
  });
  return names;
}

/** Variables read with `:?` or `?`: the ones a compose file refuses to start without. */
export function requiredVariables(doc: Yaml): Set<string> {
  const names = new Set<string>();
  walkStrings(doc, (s) => {
    for (const m of s.matchAll(REFERENCE)) if (m[2] === ":?" || m[2] === "?") names.add(m[1]!);
  });
  return names;
}

function walkStrings(doc: Yaml, visit: (s: string) => void): void {
  if (typeof doc === "string") visit(doc);
  else if (Array.isArray(doc)) doc.forEach((d) => walkStrings(d, visit));
  else if (doc !== null && typeof doc === "object") Object.values(doc).forEach((d) => walkStrings(d, visit));
}

function interpolateAll(doc: Yaml, vars: Record<string, string | undefined>, problems: InterpolationError[]): Yaml {
  if (typeof doc === "string") {
    try {
      return interpolate(doc, vars);
    } catch (err) {
      if (err instanceof InterpolationError) problems.push(err);
      else throw err;
      return doc;
    }
  }
  if (Array.isArray(doc)) return doc.map((d) => interpolateAll(d, vars, problems));
  if (doc !== null && typeof doc === "object") {
    return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, interpolateAll(v, vars, problems)]));
  }
  return doc;
}

/** Keys whose sequence an override replaces; other sequences are merged (volumes by target). */
const REPLACED_SEQUENCES = new Set(["command", "entrypoint", "test"]);

function volumeTarget(v: Yaml): string {
  if (typeof v === "string") return v.split(":")[1] ?? v;
  return String((v as { target: string }).target);
}

function merge(base: Yaml, override: Yaml, key = ""): Yaml {
  if (Array.isArray(base) && Array.isArray(override)) {
    if (REPLACED_SEQUENCES.has(key)) return override;
    if (key === "volumes") {
      const byTarget = new Map(base.map((v) => [volumeTarget(v), v]));
      for (const v of override) byTarget.set(volumeTarget(v), v);
      return [...byTarget.values()];
    }
    const seen = new Set(base.map((v) => JSON.stringify(v)));
    return [...base, ...override.filter((v) => !seen.has(JSON.stringify(v)))];
  }
  if (isMapping(base) && isMapping(override)) {
    const out: Record<string, Yaml> = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = k in out ? merge(out[k]!, v, k) : v;
    return out;
  }
  return override;
}

function isMapping(v: Yaml): v is { [key: string]: Yaml } {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function readYaml(file: string): Yaml {
  return parse(readFileSync(join(ROOT, file), "utf8")) as Yaml;
}

/** The compose files merged in order, not yet interpolated. */
export function rawCompose(files: readonly string[]): Yaml {
  return files.map(readYaml).reduce((acc, doc) => merge(acc, doc));
}

/**
 * The compose files merged and interpolated with `vars`, as `docker compose config` would give them.
 * Throws one error listing every required variable that has no value.
 */
export function loadCompose(files: readonly string[], vars: Record<string, string | undefined>): Compose {
  const problems: InterpolationError[] = [];
  const doc = interpolateAll(rawCompose(files), vars, problems);
  if (problems.length > 0) {
    throw new AggregateError(problems, `missing variables: ${problems.map((p) => p.variable).join(", ")}`);
  }
  return doc as unknown as Compose;
}

export function readEnvExample(): Record<string, string> {
  return parseDotEnv(readFileSync(join(ROOT, ".env.example"), "utf8"));
}

/** .env.example with its REQUIRED secrets filled in, as an admin following docs/install.md would. */
export function filledEnv(): Record<string, string> {
  return {
    ...readEnvExample(),
    DEFGUARD_DB_PASSWORD: "db-password-for-tests",
    DEFGUARD_DEFAULT_ADMIN_PASSWORD: "Admin-password-for-tests-1",
    DEFGUARD_AUTH_SECRET: "a".repeat(64),
    DEFGUARD_PROXY_COOKIE_KEY: "b".repeat(64),
  };
}
