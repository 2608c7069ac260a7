# syntax=docker/dockerfile:1
# One image for both services; the command picks which one runs (docker-compose.yml):
#   bun proxy/main.ts   the Proxy (DMZ): public HTTP API on 8080, gRPC server on 50051
#   bun core/main.ts    the Core (inside): admin API on 8000, dials the Proxy
#   bun core/cli.ts     the admin command line, against the Core's database
# The gateway (the VPN host) is its own target, `--target gateway`: it adds wg, ip, wireguard-go and nft
# and runs as root with NET_ADMIN (docker-compose.yml, service `gateway`).
# No secret is baked in: every setting comes from the environment at run time (.env.example).

# Keep in step with "packageManager" in package.json (test/install-image.test.ts checks it).
ARG BUN_VERSION=1.4.5

# --- deps: production dependencies only, exactly as bun.lock pins them ---
FROM oven/bun:${BUN_VERSION} AS deps
WORKDIR /app
COPY package.json bun.lock bunfig.toml ./
RUN bun install --frozen-lockfile --production

# --- gateway: the VPN host's agent with the tools it drives; root, as it creates network interfaces ---
FROM oven/bun:${BUN_VERSION} AS gateway
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wireguard-tools wireguard-go iproute2 nftables \
    && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json bun.lock bunfig.toml tsconfig.json ./
COPY proto ./proto
COPY shared ./shared
COPY gateway ./gateway
CMD ["bun", "gateway/main.ts"]

# --- runtime (the default target, last): the sources that run, the installed dependencies, nothing else ---
FROM oven/bun:${BUN_VERSION} AS runtime
ENV NODE_ENV=production \
    DEFGUARD_DATA_DIR=/var/lib/defguard
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# tsconfig.json carries the JSX settings (hono/jsx) Bun applies when it runs .tsx files.
COPY package.json bun.lock bunfig.toml tsconfig.json ./
COPY proto ./proto
COPY shared ./shared
COPY core ./core
COPY proxy ./proxy
# The embedded database (PGlite, used when DEFGUARD_DB_HOST is unset) lives in DEFGUARD_DATA_DIR; the
# directory is created owned by the unprivileged user so that a fresh named volume inherits that owner.
RUN mkdir -p /var/lib/defguard && chown bun:bun /var/lib/defguard
VOLUME ["/var/lib/defguard"]
# `bun` (uid 1000) comes with the official image; the application files stay root-owned, read-only to it.
USER bun
# 8080 proxy HTTP, 50051 proxy gRPC (Core -> Proxy only), 8000 core admin API.
EXPOSE 8080 50051 8000
CMD ["bun", "proxy/main.ts"]
