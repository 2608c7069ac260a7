// Devices (admins): every user's devices, a page at a time, each with its configuration per location to
// download or show as a QR code (client/devices.ts) and a remove button; and adding a device for any user
// (device-list.tsx DeviceAddForm: keys made in this browser, or a pasted public key).
import { type DeviceListRow, searchDevices } from "../../store/device-search.ts";
import { ActionButton, Pagination, When } from "../components.tsx";
import { DeviceAddForm } from "../device-list.tsx";
import { Table } from "../table.tsx";
import type { UiPage } from "../page.ts";

const MAX_USERNAME_FILTER = 64;

function DeviceRow(props: { device: DeviceListRow }) {
  const d = props.device;
  return (
    <tr>
      <th scope="row" class="wrap">
        {d.name}
        <span class="hint block">
          <a href={`/ui/users/${encodeURIComponent(d.username)}`}>{d.username}</a>, added <When at={d.created_at} />
        </span>
        <ActionButton action={`/api/v1/device/${d.id}`} method="DELETE" done="reload" label={`Remove ${d.name}`} confirm={`Remove device ${d.name} of ${d.username}? It loses VPN access.`} />
      </th>
      <td class="wrap">
        {d.networks.length === 0 ? (
          <span class="hint">in no location</span>
        ) : (
          <ul class="plain-list">
            {d.networks.map((n) => (
              <li>
                {`${n.network_name}: ${n.addresses.join(", ")} `}
                <a href={`/api/v1/network/${n.network_id}/device/${d.id}/config`} download>
                  {`Configuration for ${n.network_name}`}
                </a>{" "}
                <button type="button" class="link-button" data-config-qr={`/api/v1/network/${n.network_id}/device/${d.id}/config`} data-config-name={`${d.name} in ${n.network_name}`}>
                  QR code
                </button>
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}

export const devicesPage: UiPage = {
  path: "/ui/devices",
  name: "devices",
  access: "admin",
  async render({ c, deps }) {
    const username = (c.req.query("username") ?? "").slice(0, MAX_USERNAME_FILTER);
    const result = await searchDevices(deps.sql, { username: username || undefined, page: Number(c.req.query("page") ?? 1) || 1 });
    return {
      title: "Devices",
      body: (
        <>
          <h1>Devices</h1>
          <details class="panel" id="add-device">
            <summary>Add a device for a user</summary>
            <DeviceAddForm allowPaste />
          </details>
          <form class="search" method="get" action="/ui/devices" role="search">
            <label for="device-user">Devices of users whose username starts with</label>
            <div class="search-row">
              <input id="device-user" name="username" type="search" value={username} maxlength={MAX_USERNAME_FILTER} />
              <button type="submit" class="button">
                Filter
              </button>
            </div>
          </form>
          {result.rows.length === 0 ? (
            <p class="empty">{username ? `No device of a user starting with “${username}”.` : "No devices yet."}</p>
          ) : (
            <Table caption="Devices" columns={["Device", "Locations and configuration"]}>
              {result.rows.map((device) => (
                <DeviceRow device={device} />
              ))}
            </Table>
          )}
          <Pagination base="/ui/devices" query={username ? { username } : {}} page={result.page} pages={result.pages} total={result.total} noun="devices" />
          <dialog id="qr-dialog" aria-labelledby="qr-dialog-title">
            <h2 id="qr-dialog-title"></h2>
            <p class="hint">Without its private key (YOUR_PRIVATE_KEY): the key was made where the device was added and the Core never had it.</p>
            <div class="qr" data-qr></div>
            <form method="dialog">
              <button type="submit" class="button">
                Close
              </button>
            </form>
          </dialog>
        </>
      ),
    };
  },
};
