// `network add`, `network list`.
import { splitList } from "../networks/cidr.ts";
import { networkInputSchema } from "../networks/network-schema.ts";
import { createNetwork, listNetworks } from "../store/networks.ts";
import { validate } from "../validation.ts";
import { type Command, type CommandContext, stringOption } from "./command.ts";
import { formatTable, optionName } from "./output.ts";

/** Digits become numbers; anything else stays text so that validation names the option. */
function numeric(value: string | undefined): number | string | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : value;
}

export const networkAdd: Command = {
  options: {
    name: { type: "string" },
    address: { type: "string" },
    port: { type: "string" },
    endpoint: { type: "string" },
    "allowed-ips": { type: "string" },
    dns: { type: "string" },
    "keepalive-interval": { type: "string" },
    "peer-disconnect-threshold": { type: "string" },
    "allowed-groups": { type: "string" },
    "mfa-mode": { type: "string" },
  },
  positionals: [],
  async run(ctx) {
    const groups = stringOption(ctx, "allowed-groups");
    const input = validate(
      networkInputSchema,
      {
        name: stringOption(ctx, "name"),
        address: stringOption(ctx, "address"),
        port: numeric(stringOption(ctx, "port")),
        endpoint: stringOption(ctx, "endpoint"),
        allowed_ips: stringOption(ctx, "allowed-ips"),
        dns: stringOption(ctx, "dns"),
        keepalive_interval: numeric(stringOption(ctx, "keepalive-interval")),
        peer_disconnect_threshold: numeric(stringOption(ctx, "peer-disconnect-threshold")),
        allowed_groups: groups === undefined ? undefined : splitList(groups),
        mfa_mode: stringOption(ctx, "mfa-mode"),
      },
      (path) => optionName(path),
    );
    const { network, devices } = await createNetwork(ctx.sql, input);
    ctx.io.out(`Added network ${network.name} (id ${network.id}) with public key ${network.pubkey}; ${devices.added} existing device(s) joined it`);
  },
};

export const networkList: Command = {
  options: { json: { type: "boolean" } },
  positionals: [],
  async run(ctx: CommandContext) {
    const networks = await listNetworks(ctx.sql);
    if (ctx.options.json) return ctx.io.out(JSON.stringify(networks, null, 2));
    const rows = networks.map((n) => [String(n.id), n.name, n.address.join(","), String(n.port), n.endpoint, n.allowed_ips.join(","), n.pubkey]);
    for (const line of formatTable(["ID", "NAME", "ADDRESS", "PORT", "ENDPOINT", "ALLOWED IPS", "PUBLIC KEY"], rows)) ctx.io.out(line);
  },
};
