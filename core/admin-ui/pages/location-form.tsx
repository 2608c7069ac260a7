// The form of a location (a WireGuard network), for creating one and editing it: every field the API
// takes (POST/PUT /api/v1/network), each with the API's refusal shown beside it.
import type { NetworkInfo } from "../../store/networks.ts";
import { ApiForm, Field, Submit } from "../components.tsx";
import { SelectField } from "../form-fields.tsx";

const MFA_OPTIONS = [
  { value: "disabled", label: "Off" },
  { value: "internal", label: "Internal: a TOTP or email code before each connection" },
  { value: "external", label: "External identity provider" },
];

export function LocationForm(props: { network?: NetworkInfo; groups: string[] }) {
  const n = props.network;
  return (
    <ApiForm action={n ? `/api/v1/network/${n.id}` : "/api/v1/network"} method={n ? "PUT" : "POST"} done={n ? "reload" : "go:/ui/locations/{id}"} label={n ? "Location settings" : "New location"}>
      <Field name="name" label="Name" value={n?.name} required autocomplete="off" />
      <Field name="address" label="Gateway address" value={n?.address.join(", ")} required autocomplete="off" hint="The gateway's address with the network's prefix, IPv4 and/or IPv6, e.g. 10.1.0.1/24, fd00::1/64" />
      <Field name="port" label="Port" type="number" kind="number" value={n?.port ?? 51820} required hint="The UDP port the gateway listens on" />
      <Field name="endpoint" label="Endpoint" value={n?.endpoint} required autocomplete="off" hint="Host name or IP address devices connect to, without port" />
      <Field name="allowed_ips" label="Allowed IPs" value={n?.allowed_ips.join(", ")} required autocomplete="off" hint="Networks routed through the VPN, comma-separated, e.g. 10.1.0.0/24" />
      <Field name="dns" label="DNS" value={n?.dns} kind="nullable" autocomplete="off" hint="DNS servers or search domains, comma-separated" />
      <Field name="keepalive_interval" label="Keepalive interval (seconds)" type="number" kind="number" value={n?.keepalive_interval ?? 25} required />
      <Field name="peer_disconnect_threshold" label="Disconnect threshold (seconds)" type="number" kind="number" value={n?.peer_disconnect_threshold ?? 300} required hint="A device counts as disconnected once its last handshake is older than this" />
      <SelectField name="allowed_groups" label="Allowed groups" multiple options={props.groups.map((g) => ({ value: g, label: g }))} selected={n?.allowed_groups ?? []} hint="None chosen: every user may use this location" />
      <SelectField name="mfa_mode" label="MFA before connecting" required options={MFA_OPTIONS} selected={[n?.mfa_mode ?? "disabled"]} />
      <Submit label={n ? "Save location" : "Create location"} />
    </ApiForm>
  );
}
