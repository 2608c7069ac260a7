// The real Proxy (proxy/start-proxy.ts, all its middleware and its Core link) plus ONE bench-only route,
// for `bun run bench`: no public Defguard route reaches a payload the Core answers without a database,
// so this route forwards `client_mfa_token_validation` and answers `{"token_valid": bool}`; for a token
// whose signature does not verify, the Core answers from memory. It exists only in this entry point;
// `bun run proxy` never serves it.
import { Hono } from "hono";
import { z } from "zod";
import { loadConfigOrExit } from "../shared/env.ts";
import { createLogger } from "../shared/logger.ts";
import { loadProxyConfig } from "../proxy/config.ts";
import { startProxy } from "../proxy/start-proxy.ts";
import type { AppEnv } from "../proxy/http/app-env.ts";
import { readJsonBody } from "../proxy/http/json-body.ts";
import { askCore, reply } from "../proxy/routes/core-call.ts";
import { BENCH_ROUTE } from "./bench-route.ts";

const tokenSchema = z.object({ token: z.string() });

const config = loadConfigOrExit("defguard proxy (bench)", () => loadProxyConfig(process.env));
const logger = createLogger({ level: config.log.level, format: config.log.format, target: "defguard_proxy" });
const proxy = await startProxy(config, logger, {
  extraRoutes: (app, { core }) => {
    app.route(
      BENCH_ROUTE,
      new Hono<AppEnv>().post("/", async (c) => {
        const { token } = await readJsonBody(c, tokenSchema);
        const answer = await askCore(c, core, { client_mfa_token_validation: { token } }, "client_mfa_token_validation");
        return reply(c, "client_mfa_token_validation", answer);
      }),
    );
  },
});
logger.info(`bench route enabled: POST ${BENCH_ROUTE}`);
const shutdown = () => void proxy.stop().then(() => process.exit(0));
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
