// A user's devices as the user page and "My account" show them: name, key, when added, and in each
// location its addresses and what the gateways last reported (connected, last handshake, endpoint,
// transfer), with a remove button.
import type { DeviceInfo } from "../store/devices.ts";
import { ActionButton, Badge, When } from "./components.tsx";
import { type DeviceConnection, formatBytes } from "./vpn-status.ts";

function Connection(props: { addresses: string[]; connection: DeviceConnection | undefined }) {
  const c = props.connection;
  return (
    <>
      {`: ${props.addresses.join(", ") || "no address"} `}
      {c?.connected ? <Badge tone="ok">connected</Badge> : <Badge tone="muted">not connected</Badge>}
      <span class="hint block">
        {c?.last_handshake ? (
          <>
            last handshake <When at={c.last_handshake} />
            {c.endpoint ? ` from ${c.endpoint}` : ""}
            {`, ${formatBytes(c.download)} in, ${formatBytes(c.upload)} out`}
          </>
        ) : (
          "never connected"
        )}
      </span>
    </>
  );
}

export function DeviceList(props: { devices: DeviceInfo[]; connections: DeviceConnection[] }) {
  if (props.devices.length === 0) return <p class="empty">No devices.</p>;
  return (
    <ul class="device-list">
      {props.devices.map((d) => (
        <li class="device">
          <div>
            <strong>{d.name}</strong>
            <p class="hint">
              Added <When at={d.created_at} />; public key <code>{d.pubkey}</code>
            </p>
            <ul class="plain-list">
              {d.networks.map((n) => (
                <li>
                  {n.network_name}
                  <Connection addresses={n.addresses} connection={props.connections.find((c) => c.device_id === d.id && c.network_name === n.network_name)} />
                </li>
              ))}
            </ul>
          </div>
          <ActionButton action={`/api/v1/device/${d.id}`} method="DELETE" done="reload" label="Remove" hiddenLabel={d.name} confirm={`Remove device ${d.name}? It loses VPN access.`} />
        </li>
      ))}
    </ul>
  );
}

/**
 * Adding a device for `username`, or for the user named in the form when none is given (client/device-add.ts): a name, then keys made in this browser (or a
 * public key pasted by someone who keeps the private key elsewhere); the answer shows each location's
 * configuration with the private key filled in, a download and a QR code. The private key never leaves
 * the browser.
 */
export function DeviceAddForm(props: { username?: string; allowPaste?: boolean }) {
  return (
    <div class="device-add">
      <form class="stack" data-device-add={props.username ?? ""} aria-label="Add a device">
        {props.username === undefined ? (
          <div class="field">
            <label for="device-username">User (username)</label>
            <input id="device-username" name="username" type="text" required maxlength={64} autocomplete="off" aria-describedby="device-username-error" />
            <p class="field-error" id="device-username-error" data-field-error="username" hidden></p>
          </div>
        ) : null}
        <div class="field">
          <label for="device-name">Device name</label>
          <input id="device-name" name="name" type="text" required maxlength={64} autocomplete="off" aria-describedby="device-name-error" />
          <p class="field-error" id="device-name-error" data-field-error="name" hidden></p>
        </div>
        {props.allowPaste ? (
          <div class="field">
            <label for="device-pubkey">
              Public key <span class="optional">(optional: leave empty to make keys in this browser)</span>
            </label>
            <input id="device-pubkey" name="wireguard_pubkey" type="text" maxlength={44} autocomplete="off" spellcheck={false} aria-describedby="device-pubkey-error" />
            <p class="field-error" id="device-pubkey-error" data-field-error="wireguard_pubkey" hidden></p>
          </div>
        ) : null}
        <div class="actions">
          <button type="submit" class="button">
            Add device
          </button>
        </div>
        <p class="error" data-error role="alert" aria-live="assertive"></p>
      </form>
      <section class="device-result" data-device-result hidden aria-labelledby="device-result-title">
        <h3 id="device-result-title" tabindex={-1}>
          Device added
        </h3>
        <p data-key-made>Its private key was made in this browser and is in the configuration below only: download it or scan the QR code now, it is not kept anywhere.</p>
        <p data-key-pasted hidden>
          Replace YOUR_PRIVATE_KEY in the configuration with the private key that belongs to the public key you pasted.
        </p>
        <p data-no-config hidden>
          This user may not use any location yet, so there is no configuration.
        </p>
        <div data-config-list></div>
        <div class="actions">
          <a class="button secondary" href="" data-reload>
            Done
          </a>
        </div>
      </section>
      <template id="device-config-template">
        <div class="config">
          <h4 data-config="network_name"></h4>
          <p class="hint">
            Address <span data-config="assigned_ip"></span>
          </p>
          <pre class="config-text" data-config="text"></pre>
          <div class="actions">
            <button type="button" class="button secondary" data-config-download>
              Download
            </button>
          </div>
          <div data-config-qr-block>
            <p class="hint">Scan with the WireGuard app:</p>
            <div class="qr" data-config-qr></div>
          </div>
        </div>
      </template>
    </div>
  );
}
