// One location (admins): its settings to edit or delete, the gateway setup (a token made on request and
// the command lines that start a gateway with it), the gateways that connected and the devices with their
// connection figures, 50 a page, the latest handshake first. The last two are `data-live` sections:
// client/live-sections.ts reloads them.
import { listNetworkDevices, type NetworkDeviceInfo } from "../../admin-api/routes/network-devices.ts";
import { type GatewayRecord, listGateways } from "../../gateway/gateway-records.ts";
import { listGroups } from "../../store/groups.ts";
import { getNetwork } from "../../store/networks.ts";
import { ActionButton, Badge, Notice, Pagination, When } from "../components.tsx";
import { formatBytes } from "../vpn-status.ts";
import { Table } from "../table.tsx";
import { type UiPage, param } from "../page.ts";
import { LocationForm } from "./location-form.tsx";
import { NotFoundView } from "./status-views.tsx";

/** Devices shown per page, those with the latest handshake first. */
const DEVICES_PER_PAGE = 50;

function CopyBox(props: { id: string; label: string; multiline?: boolean }) {
  return (
    <div class="result">
      <label for={props.id}>{props.label}</label>
      <div class="copy-row">
        {props.multiline ? <textarea id={props.id} readonly rows={3} data-out={props.id}></textarea> : <input id={props.id} type="text" readonly data-out={props.id} />}
        <button type="button" class="button secondary" data-copy={props.id}>
          Copy
        </button>
      </div>
    </div>
  );
}

function GatewaySetup(props: { networkId: number; enabled: boolean }) {
  if (!props.enabled) {
    return (
      <Notice tone="warning">
        <p>Gateways are off on this Core: set DEFGUARD_GATEWAY_SECRET (32 or more characters) and restart it to give gateways a token.</p>
      </Notice>
    );
  }
  return (
    <div id="gateway-setup" data-network-id={String(props.networkId)}>
      <p class="hint">A gateway is the VPN host devices connect to. Make a token, then run one of these on that host.</p>
      <div class="actions">
        <button type="button" class="button" data-gateway-token>
          Make a gateway token
        </button>
      </div>
      <p class="error" data-error role="alert" aria-live="assertive"></p>
      <div id="gateway-commands" hidden>
        <CopyBox id="gateway-token" label="Token (DEFGUARD_TOKEN)" />
        <CopyBox id="gateway-grpc-url" label="Core's gateway URL (DEFGUARD_GRPC_URL)" />
        <CopyBox id="gateway-command-ours" label="Our gateway (as root, in this repository)" multiline />
        <CopyBox id="gateway-command-docker" label="Defguard's gateway in Docker" multiline />
        <CopyBox id="gateway-command-binary" label="Defguard's gateway binary (as root)" multiline />
      </div>
    </div>
  );
}

function Gateways(props: { gateways: GatewayRecord[] }) {
  if (props.gateways.length === 0) return <p class="empty">No gateway has connected yet.</p>;
  return (
    <Table caption="Gateways" columns={["Gateway", "State", "Version", "Address"]}>
      {props.gateways.map((g) => (
        <tr>
          <th scope="row" class="wrap">
            {g.name ? `${g.name} (${g.hostname})` : g.hostname}
          </th>
          <td>
            {g.connected ? <Badge tone="ok">connected</Badge> : <Badge tone="bad">gone</Badge>}
            <span class="hint block">
              since{" "}
              <When at={g.connected ? g.connected_at : g.disconnected_at} />
            </span>
          </td>
          <td>{g.version ?? "—"}</td>
          <td class="wrap">{g.address ?? "—"}</td>
        </tr>
      ))}
    </Table>
  );
}

function Devices(props: { devices: NetworkDeviceInfo[] }) {
  if (props.devices.length === 0) return <p class="empty">No device has an address in this location.</p>;
  return (
    <Table caption="Devices in this location" columns={["Device", "State", "Endpoint", "Last handshake", { label: "Upload / download", number: true }]} wide>
      {props.devices.map((d) => (
        <tr>
          <th scope="row" class="wrap">
            {d.device_name}
            <span class="hint block">
              <a href={`/ui/users/${encodeURIComponent(d.username)}`}>{d.username}</a>, {d.addresses.join(", ")}
            </span>
          </th>
          <td>{d.connected ? <Badge tone="ok">connected</Badge> : <Badge tone="muted">not connected</Badge>}</td>
          <td class="wrap">{d.endpoint ?? "—"}</td>
          <td>
            <When at={d.last_handshake} />
          </td>
          <td class="number">{`${formatBytes(d.upload)} / ${formatBytes(d.download)}`}</td>
        </tr>
      ))}
    </Table>
  );
}

export const locationPage: UiPage = {
  path: "/ui/locations/:id{[0-9]{1,15}}",
  name: "location",
  access: "admin",
  async render({ c, deps }) {
    const network = await getNetwork(deps.sql, Number(param(c, "id")));
    if (!network) return NotFoundView();
    const [[counted], groups, gateways] = await Promise.all([
      deps.sql<{ total: number }[]>`SELECT count(*)::int AS total FROM network_devices WHERE network_id = ${network.id}`,
      listGroups(deps.sql),
      listGateways(deps.sql, network.id),
    ]);
    const total = counted?.total ?? 0;
    const pages = Math.max(1, Math.ceil(total / DEVICES_PER_PAGE));
    const page = Math.min(Math.max(1, Math.trunc(Number(c.req.query("page") ?? 1) || 1)), pages);
    const devices = await listNetworkDevices(deps.sql, network.id, { limit: DEVICES_PER_PAGE, offset: (page - 1) * DEVICES_PER_PAGE });
    return {
      title: `Location ${network.name}`,
      body: (
        <>
          <p class="breadcrumb">
            <a href="/ui/locations">Locations</a> /
          </p>
          <h1>{network.name}</h1>
          <p class="subtitle">
            Public key <code>{network.pubkey}</code>
          </p>
          <div class="grid">
            <section class="panel" aria-labelledby="settings-title">
              <h2 id="settings-title">Settings</h2>
              <LocationForm network={network} groups={groups.map((g) => g.name)} />
              <div class="actions">
                <ActionButton action={`/api/v1/network/${network.id}`} method="DELETE" done="go:/ui/locations" label="Delete location" danger confirm={`Delete location ${network.name}? Its devices lose their addresses in it.`} />
              </div>
            </section>
            <div>
              <section class="panel" aria-labelledby="setup-title">
                <h2 id="setup-title">Gateway setup</h2>
                <GatewaySetup networkId={network.id} enabled={deps.gateways?.tokens !== undefined} />
              </section>
              <section class="panel" aria-labelledby="gateways-title" id="live-gateways" data-live>
                <h2 id="gateways-title">Gateways</h2>
                <Gateways gateways={gateways} />
              </section>
            </div>
          </div>
          <section class="panel" aria-labelledby="devices-title" id="live-devices" data-live>
            <h2 id="devices-title">Devices</h2>
            <Devices devices={devices} />
            <Pagination base={`/ui/locations/${network.id}`} query={{}} page={page} pages={pages} total={total} noun="devices" />
          </section>
        </>
      ),
    };
  },
};
