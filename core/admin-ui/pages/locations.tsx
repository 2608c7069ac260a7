// Locations (admins): every WireGuard network with its gateways and devices, and the form that creates
// one (then its page opens, with the gateway setup).
import { listGroups } from "../../store/groups.ts";
import { listNetworks } from "../../store/networks.ts";
import { Badge } from "../components.tsx";
import { Table } from "../table.tsx";
import type { UiPage } from "../page.ts";
import { LocationForm } from "./location-form.tsx";

interface LocationCounts {
  id: number;
  devices: number;
  connected_devices: number;
  gateways: number;
}

export const locationsPage: UiPage = {
  path: "/ui/locations",
  name: "locations",
  access: "admin",
  async render({ deps }) {
    const [networks, groups, counts] = await Promise.all([
      listNetworks(deps.sql),
      listGroups(deps.sql),
      deps.sql<LocationCounts[]>`
        SELECT n.id,
               (SELECT count(*)::int FROM network_devices nd WHERE nd.network_id = n.id) AS devices,
               (SELECT count(*)::int FROM network_devices nd WHERE nd.network_id = n.id
                  AND nd.last_handshake > now() - make_interval(secs => n.peer_disconnect_threshold)) AS connected_devices,
               (SELECT count(*)::int FROM gateway_states g WHERE g.network_id = n.id AND g.connected) AS gateways
        FROM networks n`,
    ]);
    const byId = new Map(counts.map((c) => [c.id, c]));
    return {
      title: "Locations",
      body: (
        <>
          <h1>Locations</h1>
          {networks.length === 0 ? (
            <p class="empty">No locations yet: create the first one below.</p>
          ) : (
            <Table caption="Locations" columns={["Location", "Address", "Endpoint", "Gateways", { label: "Devices connected", number: true }]}>
              {networks.map((n) => {
                const c = byId.get(n.id);
                return (
                  <tr>
                    <th scope="row">
                      <a href={`/ui/locations/${n.id}`}>{n.name}</a>
                    </th>
                    <td class="wrap">{n.address.join(", ")}</td>
                    <td class="wrap">{`${n.endpoint}:${n.port}`}</td>
                    <td>{c?.gateways ? <Badge tone="ok">{`${c.gateways} connected`}</Badge> : <Badge tone="bad">none connected</Badge>}</td>
                    <td class="number">{`${c?.connected_devices ?? 0} of ${c?.devices ?? 0}`}</td>
                  </tr>
                );
              })}
            </Table>
          )}
          <details class="panel" id="new-location" open={networks.length === 0}>
            <summary>New location</summary>
            <LocationForm groups={groups.map((g) => g.name)} />
          </details>
        </>
      ),
    };
  },
};
