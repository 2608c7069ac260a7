// The overview (admins): what is wrong, in words, then every location with its gateways (connected, or
// since when gone, and their version), the devices connected now and the traffic of the last hour.
import { listGateways, type GatewayRecord } from "../../gateway/gateway-records.ts";
import { NO_PROXY_LINKS } from "../../health.ts";
import { smtpConfigured } from "../../mail/smtp-settings.ts";
import { type NetworkInfo, listNetworks } from "../../store/networks.ts";
import { Badge, When } from "../components.tsx";
import { adminsWithDefaultPassword } from "../default-password.ts";
import type { PageContext, UiPage } from "../page.ts";
import { type LocationTraffic, formatBytes, locationTraffic } from "../vpn-status.ts";

interface LocationState {
  network: NetworkInfo;
  gateways: GatewayRecord[];
  traffic: LocationTraffic;
}

const NO_TRAFFIC: LocationTraffic = { connected: 0, upload: 0, download: 0 };

function Gateway(props: { gateway: GatewayRecord }) {
  const g = props.gateway;
  return (
    <li>
      <strong>{g.name ?? g.hostname}</strong> {g.connected ? <Badge tone="ok">connected</Badge> : <Badge tone="bad">gone</Badge>}
      <span class="hint block">
        {g.connected ? (
          <>
            since <When at={g.connected_at} />
          </>
        ) : (
          <>
            gone since <When at={g.disconnected_at} />
          </>
        )}
        {`, version ${g.version ?? "unknown"}`}
        {g.address ? `, from ${g.address}` : ""}
      </span>
    </li>
  );
}

function Location(props: { state: LocationState }) {
  const { network: n, gateways, traffic } = props.state;
  return (
    <section class="panel" aria-labelledby={`location-${n.id}`}>
      <h3 id={`location-${n.id}`} class="panel-title">
        {n.name}
      </h3>
      <dl class="facts">
        <dt>Address</dt>
        <dd>{n.address.join(", ")}</dd>
        <dt>Endpoint</dt>
        <dd>{`${n.endpoint}:${n.port}`}</dd>
        <dt>Connected now</dt>
        <dd>{`${traffic.connected} ${traffic.connected === 1 ? "device" : "devices"}`}</dd>
        <dt>Last hour</dt>
        <dd>{`${formatBytes(traffic.download)} in, ${formatBytes(traffic.upload)} out`}</dd>
      </dl>
      <h4>Gateways</h4>
      {gateways.length === 0 ? (
        <p>
          <Badge tone="bad">none</Badge> No gateway has connected yet.
        </p>
      ) : (
        <ul class="plain-list">
          {gateways.map((g) => (
            <Gateway gateway={g} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** Each problem as one sentence saying what is wrong and what it breaks. */
async function problemsOf(ctx: PageContext, locations: LocationState[]): Promise<string[]> {
  const { deps } = ctx;
  const [mail, defaultAdmins] = await Promise.all([smtpConfigured(deps.sql, deps.config), adminsWithDefaultPassword(deps.sql)]);
  const links = deps.proxyLinks?.() ?? NO_PROXY_LINKS;
  const problems: string[] = [];
  if (defaultAdmins.length) {
    problems.push(`${defaultAdmins.join(", ")} still ${defaultAdmins.length === 1 ? "has" : "have"} the default password pass123: anyone who read the documentation can sign in.`);
  }
  if (!mail) problems.push("Mail is not configured: enrollment links, password resets and email codes cannot be sent.");
  if (links.configured === 0) problems.push("No Proxy is configured (DEFGUARD_PROXY_URL): nobody can enroll or reset a password.");
  else if (links.connected === 0) problems.push(`No Proxy is connected (0 of ${links.configured}): enrollment and password reset are down.`);
  if (locations.length === 0) problems.push("There is no location yet: add one so that users can connect.");
  for (const { network, gateways } of locations) {
    if (!gateways.some((g) => g.connected)) problems.push(`No gateway is connected in location ${network.name}: its devices cannot connect.`);
  }
  return problems;
}

export const overviewPage: UiPage = {
  path: "/ui/overview",
  name: "overview",
  access: "admin",
  async render(ctx) {
    const { sql } = ctx.deps;
    const [networks, traffic] = await Promise.all([listNetworks(sql), locationTraffic(sql)]);
    const locations = await Promise.all(
      networks.map(async (network) => ({ network, gateways: await listGateways(sql, network.id), traffic: traffic.get(network.id) ?? NO_TRAFFIC })),
    );
    const problems = await problemsOf(ctx, locations);
    return {
      title: "Overview",
      body: (
        <>
          <h1>Overview</h1>
          <section aria-labelledby="problems-title">
            <h2 id="problems-title">{problems.length ? "Needs attention" : "All is well"}</h2>
            {problems.length ? (
              <ul class="problems">
                {problems.map((p) => (
                  <li>{p}</li>
                ))}
              </ul>
            ) : (
              <p>Every location has a gateway, mail works and a Proxy is connected.</p>
            )}
          </section>
          <section aria-labelledby="locations-title">
            <h2 id="locations-title">Locations</h2>
            <div class="grid">
              {locations.map((state) => (
                <Location state={state} />
              ))}
            </div>
          </section>
        </>
      ),
    };
  },
};
