// The single-host install files checked against the services' own env schemas and defaults, without a
// Docker engine: docker-compose.yml (+ the TLS and mTLS overrides) and .env.example, read as Compose does.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { z } from "zod";
import { coreEnvSchema, loadCoreConfig } from "../core/config.ts";
import { loadProxyConfig, proxyEnvSchema } from "../proxy/config.ts";
import { gatewayEnvSchema, loadGatewayConfig } from "../gateway/config.ts";
import { DEFAULT_PROXY_NAMES } from "../scripts/private-ca.ts";
import {
  BASE_FILE,
  ROOT,
  SECRETS,
  VARIANTS,
  filledEnv,
  loadCompose,
  rawCompose,
  readEnvExample,
  referencedVariables,
  requiredVariables,
  type Compose,
  type Service,
} from "./install-compose.ts";

/** Variables of the postgres image the `db` service may set; nothing else is allowed there. */
const POSTGRES_IMAGE_VARS = ["POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"];
/** Variables of the compose command line itself that .env.example may mention. */
const COMPOSE_CLI_VARS = ["COMPOSE_FILE"];
/** What `bun run certs --mtls` writes (scripts/certs.ts). */
const CERT_FILES = ["ca.pem", "proxy.pem", "proxy-key.pem", "core.pem", "core-key.pem"];

type Schema = z.ZodObject<Record<string, z.ZodType>>;
const schemas: Record<"core" | "proxy" | "gateway", Schema> = {
  core: coreEnvSchema as unknown as Schema,
  proxy: proxyEnvSchema as unknown as Schema,
  gateway: gatewayEnvSchema as unknown as Schema,
};

/**
 * The gateway service's variables are Defguard gateway's own names, fed from compose-level names of
 * their own (DEFGUARD_GATEWAY_TOKEN → DEFGUARD_TOKEN) so that they cannot collide with the core's.
 * Read from the file: compose-level name → the gateway's name.
 */
function gatewayVariables(): Map<string, string> {
  const raw = rawCompose([BASE_FILE]) as unknown as Compose;
  const mapping = new Map<string, string>();
  for (const [name, value] of Object.entries(raw.services.gateway?.environment ?? {})) {
    const source = /^\$\{([A-Z_]+)/.exec(value)?.[1];
    if (source) mapping.set(source, name);
  }
  return mapping;
}

function service(compose: Compose, name: string): Service {
  const found = compose.services[name];
  if (!found) throw new Error(`no service ${name}`);
  return found;
}

function env(compose: Compose, name: string): Record<string, string> {
  return service(compose, name).environment ?? {};
}

/** A schema variable is required when it has no default and is not optional. */
function requiredBy(schema: Schema): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([name]) => name);
}

function defaultOf(schema: Schema, name: string): unknown {
  return schema.shape[name]!.safeParse(undefined).data;
}

/** `[host_ip:]host_port:container_port` → its parts. */
function parsePort(spec: string): { hostIp?: string; host: string; container: string } {
  const parts = spec.split(":");
  const container = parts.pop()!;
  const host = parts.pop()!;
  return { hostIp: parts[0], host, container };
}

function healthTest(s: Service): string {
  const t = s.healthcheck?.test;
  return Array.isArray(t) ? t.join(" ") : String(t);
}

describe("docker-compose.yml: variables", () => {
  const compose = loadCompose([BASE_FILE], filledEnv());

  test("has the services db, core and proxy, and the gateway behind its profile", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["core", "db", "gateway", "proxy"]);
    expect(Object.entries(compose.services).filter(([, s]) => s.profiles).map(([name, s]) => [name, s.profiles])).toEqual([["gateway", ["gateway"]]]);
  });

  test("the gateway knows every variable it is given; with a token it starts, without one it names DEFGUARD_TOKEN", () => {
    const e = env(compose, "gateway");
    const known = Object.keys(schemas.gateway.shape);
    expect(Object.keys(e).filter((k) => !known.includes(k))).toEqual([]);
    expect(() => loadGatewayConfig(e)).toThrow("DEFGUARD_TOKEN: expected the network's gateway token");
    const config = loadGatewayConfig(env(loadCompose([BASE_FILE], { ...filledEnv(), DEFGUARD_GATEWAY_TOKEN: "a.jwt.token" }), "gateway"));
    expect(config.token).toBe("a.jwt.token");
    expect(config.grpcUrl.href).toBe("http://127.0.0.1:50055/");
    expect(config.ifname).toBe("wg0");
  });

  test("the gateway runs on the host's network with NET_ADMIN and the tun device, from the image's gateway target", () => {
    const gateway = service(compose, "gateway");
    expect(gateway.network_mode).toBe("host");
    expect(gateway.networks).toBeUndefined();
    expect(gateway.cap_add).toEqual(["NET_ADMIN"]);
    expect(gateway.devices).toEqual(["/dev/net/tun:/dev/net/tun"]);
    expect(gateway.build).toEqual({ context: ".", target: "gateway" });
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
    expect(gateway.command!.join(" ")).toBe(scripts.gateway!);
    expect(gateway.init).toBe(true);
  });

  for (const [variant, files] of Object.entries(VARIANTS)) {
    test(`${variant}: every variable set is one the service knows`, () => {
      const c = loadCompose(files, filledEnv());
      expect(Object.keys(env(c, "db")).filter((k) => !POSTGRES_IMAGE_VARS.includes(k))).toEqual([]);
      for (const name of ["core", "proxy"] as const) {
        const known = Object.keys(schemas[name].shape);
        expect({ service: name, unknown: Object.keys(env(c, name)).filter((k) => !known.includes(k)) }).toEqual({ service: name, unknown: [] });
      }
    });

    test(`${variant}: every variable a schema requires is set, and the services accept the whole environment`, () => {
      const c = loadCompose(files, filledEnv());
      for (const name of ["core", "proxy"] as const) {
        const e = env(c, name);
        expect(requiredBy(schemas[name]).filter((k) => !e[k])).toEqual([]);
      }
      expect(() => loadCoreConfig(env(c, "core"))).not.toThrow();
      expect(() => loadProxyConfig(env(c, "proxy"))).not.toThrow();
    });
  }

  test("the core and the db agree on the database credentials, and the core dials the db service", () => {
    const core = env(compose, "core");
    const db = env(compose, "db");
    expect(core.DEFGUARD_DB_NAME).toBe(db.POSTGRES_DB!);
    expect(core.DEFGUARD_DB_USER).toBe(db.POSTGRES_USER!);
    expect(core.DEFGUARD_DB_PASSWORD).toBe(db.POSTGRES_PASSWORD!);
    expect(core.DEFGUARD_DB_HOST).toBe("db");
    expect(Number(core.DEFGUARD_DB_PORT)).toBe(5432);
  });

  test("the core dials the proxy service on the proxy's gRPC port", () => {
    const url = new URL(env(compose, "core").DEFGUARD_PROXY_URL!);
    expect(url.protocol).toBe("http:");
    expect(url.hostname).toBe("proxy");
    expect(Number(url.port)).toBe(loadProxyConfig(env(compose, "proxy")).grpc.port);
    expect(loadProxyConfig(env(compose, "proxy")).grpc.port).toBe(defaultOf(schemas.proxy, "DEFGUARD_PROXY_GRPC_PORT") as number);
  });

  test("without the secrets filled in, compose refuses to start and names each one", () => {
    let error: unknown;
    try {
      loadCompose([BASE_FILE], readEnvExample());
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AggregateError);
    const named = new Set((error as AggregateError).errors.map((e: { variable: string }) => e.variable));
    expect([...named].sort()).toEqual([...SECRETS].sort());
  });

  test("the secrets are read with :? in every file, never given a default", () => {
    const raw = rawCompose(VARIANTS.mtls);
    expect([...requiredVariables(raw)].sort()).toEqual([...SECRETS].sort());
  });
});

/**
 * The Compose keys these files may use (from the Compose specification), so that a misspelt key, which
 * Docker would reject or silently ignore, fails here where no `docker compose config` can run.
 */
const COMPOSE_KEYS = {
  top: ["name", "services", "networks", "volumes"],
  service: [
    "image", "build", "command", "init", "restart", "depends_on", "environment", "ports", "expose", "healthcheck", "networks", "volumes",
    "profiles", "network_mode", "cap_add", "devices",
  ],
  healthcheck: ["test", "interval", "timeout", "retries", "start_period"],
  dependency: ["condition"],
  conditions: ["service_started", "service_healthy", "service_completed_successfully"],
  restart: ["no", "always", "on-failure", "unless-stopped"],
  bindMount: ["type", "source", "target", "read_only", "bind"],
  bindOptions: ["create_host_path"],
};

describe("compose files: only keys Compose knows", () => {
  const outside = (keys: string[], allowed: string[]) => keys.filter((k) => !allowed.includes(k));

  for (const file of VARIANTS.mtls) {
    test(file, () => {
      const doc = rawCompose([file]) as unknown as Compose & Record<string, unknown>;
      expect(outside(Object.keys(doc), COMPOSE_KEYS.top)).toEqual([]);
      for (const [name, s] of Object.entries(doc.services)) {
        expect({ name, keys: outside(Object.keys(s), COMPOSE_KEYS.service) }).toEqual({ name, keys: [] });
        if (s.healthcheck) expect(outside(Object.keys(s.healthcheck), COMPOSE_KEYS.healthcheck)).toEqual([]);
        if (s.restart) expect(COMPOSE_KEYS.restart).toContain(s.restart);
        for (const dep of Object.values(s.depends_on ?? {})) {
          expect(outside(Object.keys(dep), COMPOSE_KEYS.dependency)).toEqual([]);
          expect(COMPOSE_KEYS.conditions).toContain(dep.condition);
        }
        for (const v of s.volumes ?? []) {
          if (typeof v === "string") continue;
          expect(outside(Object.keys(v), COMPOSE_KEYS.bindMount)).toEqual([]);
          expect(outside(Object.keys(v.bind ?? {}), COMPOSE_KEYS.bindOptions)).toEqual([]);
        }
        for (const net of s.networks ?? []) expect(Object.keys(doc.networks ?? {})).toContain(net);
      }
    });
  }
});

describe(".env.example", () => {
  const example = readEnvExample();
  const read = referencedVariables(rawCompose(VARIANTS.mtls));

  test("holds every variable the compose files read, and nothing they do not", () => {
    expect([...read].filter((k) => !(k in example))).toEqual([]);
    expect(Object.keys(example).filter((k) => !read.has(k))).toEqual([]);
  });

  test("mentions COMPOSE_FILE only as commented-out choices of the TLS variants", () => {
    const text = readFileSync(join(ROOT, ".env.example"), "utf8");
    const choices = [...text.matchAll(/^#(COMPOSE_FILE)=(.+)$/gm)].map((m) => m[2]!.split(":"));
    expect(choices).toEqual([[...VARIANTS.tls], [...VARIANTS.mtls]]);
    expect(Object.keys(example).filter((k) => COMPOSE_CLI_VARS.includes(k))).toEqual([]);
  });

  test("every variable is one a service knows", () => {
    const known = new Set([...Object.keys(coreEnvSchema.shape), ...Object.keys(proxyEnvSchema.shape), ...gatewayVariables().keys()]);
    expect(Object.keys(example).filter((k) => !known.has(k))).toEqual([]);
  });

  test("the secrets are empty: no default that would work in production", () => {
    for (const secret of SECRETS) expect({ secret, value: example[secret] }).toEqual({ secret, value: "" });
  });

  test("every other value is the service's own default, as the file says", () => {
    const gateway = gatewayVariables();
    for (const [name, value] of Object.entries(example)) {
      if (SECRETS.includes(name)) continue;
      const gatewayName = gateway.get(name);
      if (gatewayName !== undefined && !(gatewayName in schemas.gateway.shape && defaultOf(schemas.gateway, gatewayName) !== undefined)) {
        // No default in the gateway (token, URL): the admin fills it in; the compose file's fallback, if any, must parse.
        if (value !== "") expect({ name, ok: schemas.gateway.shape[gatewayName]!.safeParse(value).success }).toEqual({ name, ok: true });
        continue;
      }
      if (gatewayName !== undefined) {
        expect({ name, value: schemas.gateway.shape[gatewayName]!.safeParse(value).data }).toEqual({ name, value: defaultOf(schemas.gateway, gatewayName) });
        continue;
      }
      const schema = name in coreEnvSchema.shape ? schemas.core : schemas.proxy;
      const field = schema.shape[name]!;
      const given = field.safeParse(value === "" ? undefined : value);
      expect({ name, ok: given.success }).toEqual({ name, ok: true });
      expect({ name, value: given.data }).toEqual({ name, value: defaultOf(schema, name) });
    }
  });

  test("the compose file's own fallbacks (${VAR:-x}) agree with .env.example", () => {
    const raw = readFileSync(join(ROOT, BASE_FILE), "utf8");
    for (const m of raw.matchAll(/\$\{([A-Z_]+):-([^}]+)\}/g)) {
      expect({ name: m[1], fallback: m[2] }).toEqual({ name: m[1], fallback: example[m[1]!]! });
    }
  });
});

describe("docker-compose.yml: ports, health checks, dependencies", () => {
  const compose = loadCompose([BASE_FILE], filledEnv());
  const proxyConfig = loadProxyConfig(env(compose, "proxy"));
  const coreConfig = loadCoreConfig(env(compose, "core"));

  test("the proxy publishes its web port, the schema's default 8080", () => {
    expect(proxyConfig.http.port).toBe(defaultOf(schemas.proxy, "DEFGUARD_PROXY_HTTP_PORT") as number);
    expect(proxyConfig.http.port).toBe(8080);
    expect(service(compose, "proxy").ports!.map(parsePort)).toEqual([{ hostIp: undefined, host: "8080", container: "8080" }]);
  });

  test("the core publishes its admin API (the schema's default 8000) and the gateways' gRPC port 50055 on the host's loopback only", () => {
    expect(coreConfig.http.port).toBe(defaultOf(schemas.core, "DEFGUARD_HTTP_PORT") as number);
    expect(coreConfig.http.port).toBe(8000);
    expect(service(compose, "core").ports!.map(parsePort)).toEqual([
      { hostIp: "127.0.0.1", host: "8000", container: "8000" },
      { hostIp: "127.0.0.1", host: "50055", container: "50055" },
    ]);
    // The gateway, on the host's network, dials that published port.
    expect(service(compose, "gateway").environment!.DEFGUARD_GRPC_URL).toBe("http://127.0.0.1:50055");
  });

  for (const [variant, files] of Object.entries(VARIANTS)) {
    test(`${variant}: gRPC 50051 is published by no service, only exposed by the proxy on its network`, () => {
      const c = loadCompose(files, filledEnv());
      for (const s of Object.values(c.services)) {
        for (const spec of s.ports ?? []) expect(parsePort(spec).container).not.toBe(String(proxyConfig.grpc.port));
      }
      expect(service(c, "proxy").expose).toEqual([String(proxyConfig.grpc.port)]);
    });
  }

  test("services listen on every interface inside their containers, so that published ports reach them", () => {
    expect(proxyConfig.http.host).toBe("0.0.0.0");
    expect(proxyConfig.grpc.host).toBe("0.0.0.0");
    expect(coreConfig.http.host).toBe("0.0.0.0");
  });

  test("health checks use each service's own endpoint on its own port variable", () => {
    const proxyCheck = healthTest(service(compose, "proxy"));
    expect(proxyCheck).toContain("/api/v1/health");
    expect(proxyCheck).toContain(`process.env.DEFGUARD_PROXY_HTTP_PORT || "${proxyConfig.http.port}"`);
    const coreCheck = healthTest(service(compose, "core"));
    expect(coreCheck).toContain("/api/v1/health");
    expect(coreCheck).toContain(`process.env.DEFGUARD_HTTP_PORT || "${coreConfig.http.port}"`);
    expect(healthTest(service(compose, "db"))).toContain("pg_isready");
    // Compose would interpolate a lone $ itself: the checks read the container's variables through $$ or none.
    expect(healthTest(service(rawCompose([BASE_FILE]) as unknown as Compose, "db"))).toContain("$${POSTGRES_USER}");
  });

  test("the core starts once the db is healthy; dependencies point at services with health checks", () => {
    expect(service(compose, "core").depends_on).toEqual({ db: { condition: "service_healthy" } });
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [target, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect({ name, target, exists: target in compose.services }).toEqual({ name, target, exists: true });
        if (condition === "service_healthy") expect(compose.services[target]!.healthcheck).toBeDefined();
      }
    }
    expect(service(compose, "proxy").depends_on).toBeUndefined();
  });

  test("every service restarts unless stopped and runs under an init that forwards SIGTERM", () => {
    for (const s of Object.values(compose.services)) expect(s.restart).toBe("unless-stopped");
    expect(service(compose, "core").init).toBe(true);
    expect(service(compose, "proxy").init).toBe(true);
  });

  test("the proxy shares no network with the database", () => {
    const nets = (name: string) => new Set(service(compose, name).networks ?? ["default"]);
    expect([...nets("proxy")].filter((n) => nets("db").has(n))).toEqual([]);
    expect([...nets("core")].filter((n) => nets("db").has(n)).length).toBeGreaterThan(0);
    expect([...nets("core")].filter((n) => nets("proxy").has(n)).length).toBeGreaterThan(0);
  });

  test("the database keeps its data in a named volume", () => {
    expect(service(compose, "db").image).toBe("postgres:17");
    expect(service(compose, "db").volumes).toEqual(["db-data:/var/lib/postgresql/data"]);
    expect(Object.keys(compose.volumes ?? {})).toEqual(["db-data"]);
  });

  test("core and proxy run one image, built here, with the commands of package.json's scripts", () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
    for (const name of ["core", "proxy"]) {
      const s = service(compose, name);
      expect(s.build).toBe(".");
      expect(s.image).toBe(service(compose, "core").image!);
      expect(s.command!.join(" ")).toBe(scripts[name]!);
    }
  });
});

describe("TLS variants", () => {
  type Mount = { type: string; source: string; target: string; read_only?: boolean; bind?: { create_host_path?: boolean } };
  const mounts = (s: Service) => (s.volumes ?? []).filter((v): v is Mount => typeof v === "object");

  function expectMounted(s: Service, target: string): void {
    const mount = mounts(s).find((m) => m.target === target);
    expect({ target, mount: mount && { type: mount.type, readOnly: mount.read_only, create: mount.bind?.create_host_path } }).toEqual({
      target,
      mount: { type: "bind", readOnly: true, create: false },
    });
    expect(CERT_FILES).toContain(mount!.source.replace(/^\.\/certs\//, ""));
  }

  test("tls: the proxy serves its certificate, the core dials https://proxy:50051 trusting the private CA", () => {
    const c = loadCompose(VARIANTS.tls, filledEnv());
    const proxy = loadProxyConfig(env(c, "proxy"));
    const core = loadCoreConfig(env(c, "core"));
    expect(proxy.grpc.certPath).toBeDefined();
    expect(proxy.grpc.keyPath).toBeDefined();
    expect(proxy.grpc.clientCaPath).toBeUndefined();
    expectMounted(service(c, "proxy"), proxy.grpc.certPath!);
    expectMounted(service(c, "proxy"), proxy.grpc.keyPath!);
    expect(core.proxy!.url.href).toBe(`https://proxy:${proxy.grpc.port}/`);
    expect(DEFAULT_PROXY_NAMES as readonly string[]).toContain(core.proxy!.url.hostname);
    expectMounted(service(c, "core"), core.proxy!.caPath!);
    expect(core.proxy!.clientCertPath).toBeUndefined();
  });

  test("mtls: the proxy asks for a client certificate from the CA, the core presents its own", () => {
    const c = loadCompose(VARIANTS.mtls, filledEnv());
    const proxy = loadProxyConfig(env(c, "proxy"));
    const core = loadCoreConfig(env(c, "core"));
    expectMounted(service(c, "proxy"), proxy.grpc.clientCaPath!);
    expectMounted(service(c, "core"), core.proxy!.clientCertPath!);
    expectMounted(service(c, "core"), core.proxy!.clientKeyPath!);
    expect(core.proxy!.url.protocol).toBe("https:");
  });

  test("the CA's private key is never mounted into a container", () => {
    const c = loadCompose(VARIANTS.mtls, filledEnv());
    for (const s of Object.values(c.services)) {
      for (const m of mounts(s)) expect(m.source).not.toContain("ca-key");
    }
  });
});
