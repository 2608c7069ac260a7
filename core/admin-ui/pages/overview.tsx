// The overview (admins): what is wrong, in words, then every location with its gateways, its devices and
// its traffic. Gateway state comes from the gateway module when the Core has one (deps.gateways); until
// then each location shows that no gateway has reported.
import { smtpConfigured } from "../../mail/smtp-settings.ts";
import { NO_PROXY_LINKS } from "../../health.ts";
import { type NetworkInfo, listNetworks } from "../../store/networks.ts";
import { adminsWithDefaultPassword } from "../default-password.ts";
import { Badge } from "../components.tsx";
import type { UiPage } from "../page.ts";

interface LocationCounts {
  network_id: number;
  devices: number;
}

async function deviceCounts(deps: Parameters<UiPage["render"]>[0]["deps"]): Promise<Map<number, number>> {
  const rows = await deps.sql<LocationCounts[]>`SELECT network_id, count(*)::int AS devices FROM network_devices GROUP BY network_id`;
  return new Map(rows.map((r) => [r.network_id, r.devices]));
}

function Location(props: { network: NetworkInfo; devices: number }) {
  const n = props.network;
  return (
    <section class="panel" aria-labelledby={`location-${n.id}`}>
      <h2 id={`location-${n.id}`}>{n.name}</h2>
      <dl class="facts">
        <dt>Address</dt>
        <dd>{n.address.join(", ")}</dd>
        <dt>Endpoint</dt>
        <dd>{`${n.endpoint}:${n.port}`}</dd>
        <dt>Devices</dt>
        <dd>{props.devices}</dd>
        <dt>Gateways</dt>
        <dd>
          <Badge tone="bad">none connected</Badge>
        </dd>
      </dl>
    </section>
  );
}

export const overviewPage: UiPage = {
  path: "/ui/overview",
  name: "overview",
  access: "admin",
  async render({ deps }) {
    const [networks, counts, mail, defaultAdmins] = await Promise.all([
      listNetworks(deps.sql),
      deviceCounts(deps),
      smtpConfigured(deps.sql, deps.config),
      adminsWithDefaultPassword(deps.sql),
    ]);
    const links = deps.proxyLinks?.() ?? NO_PROXY_LINKS;
    const problems: string[] = [];
    if (defaultAdmins.length) problems.push(`${defaultAdmins.join(", ")} still ${defaultAdmins.length === 1 ? "has" : "have"} the default password pass123: anyone who read the documentation can sign in.`);
    if (!mail) problems.push("Mail is not configured: enrollment links and email codes cannot be sent (set DEFGUARD_SMTP_HOST and DEFGUARD_SMTP_SENDER).");
    if (links.configured === 0) problems.push("No Proxy is configured (DEFGUARD_PROXY_URL): nobody can enroll or reset a password.");
    else if (links.connected === 0) problems.push(`No Proxy is connected (0 of ${links.configured}): enrollment and password reset are down.`);
    if (networks.length === 0) problems.push("There is no location yet: add one so that users can connect.");
    for (const n of networks) problems.push(`No gateway is connected in location ${n.name}: its devices cannot connect.`);
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
          <h2>Locations</h2>
          <div class="grid">
            {networks.map((n) => (
              <Location network={n} devices={counts.get(n.id) ?? 0} />
            ))}
          </div>
        </>
      ),
    };
  },
};
