-- VPN gateways (issue 15): which gateways of a network connected to a core and when they left, the
-- WireGuard figures they report per device, and whether a device's VPN session counts as connected.

-- One row per gateway host of a network; a reconnect updates it. disconnected_at NULL while connected.
CREATE TABLE gateways (
  id              bigserial PRIMARY KEY,
  network_id      bigint NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
  hostname        text NOT NULL,                 -- the `hostname` metadata the gateway sent
  name            text,                          -- its DEFGUARD_GATEWAY_NAME, when given
  version         text,                          -- defguard-component-version
  address         text,                          -- the peer address of its gRPC connection
  connected_at    timestamptz NOT NULL DEFAULT now(),
  disconnected_at timestamptz,
  connection_id   uuid NOT NULL,                 -- the latest connection: an older one ending changes nothing
  UNIQUE (network_id, hostname)
);

-- The network's last gateway connection, as Defguard keeps it.
ALTER TABLE networks ADD COLUMN connected_at timestamptz;

-- WireGuard figures per device and network, as gateways reported them, with when they arrived: a short
-- history, purged on a schedule. The latest figures are also kept on network_devices (below), which the
-- admin API and MFA expiry read.
CREATE TABLE vpn_stats (
  id               bigserial PRIMARY KEY,
  network_id       bigint NOT NULL,
  device_id        bigint NOT NULL,
  collected_at     timestamptz NOT NULL DEFAULT now(),
  endpoint         text,
  upload           bigint NOT NULL,
  download         bigint NOT NULL,
  latest_handshake timestamptz,                  -- NULL: no handshake yet
  FOREIGN KEY (network_id, device_id) REFERENCES network_devices (network_id, device_id) ON DELETE CASCADE
);
CREATE INDEX vpn_stats_device_idx ON vpn_stats (network_id, device_id, collected_at DESC);
CREATE INDEX vpn_stats_collected_idx ON vpn_stats (collected_at);

-- The latest figures of a device in a network. vpn_connected_at is set when its VPN session starts (a
-- handshake younger than peer_disconnect_threshold arrived) and cleared when the handshake grows older:
-- each transition is audited once, whichever core sees it.
ALTER TABLE network_devices
  ADD COLUMN last_handshake   timestamptz,
  ADD COLUMN endpoint         text,
  ADD COLUMN upload           bigint,
  ADD COLUMN download         bigint,
  ADD COLUMN stats_at         timestamptz,
  ADD COLUMN vpn_connected_at timestamptz;

-- The gateways' peer queries read a network's addresses by device.
CREATE INDEX IF NOT EXISTS network_device_addresses_device_idx ON network_device_addresses (network_id, device_id);
