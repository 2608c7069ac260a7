-- The Core's system of record. Secrets that let someone act (enrollment and reset tokens, polling
-- tokens, admin sessions, recovery codes) are stored as SHA-256 or Argon2id hashes, never as given.

CREATE TABLE users (
  id               bigserial PRIMARY KEY,
  username         text NOT NULL UNIQUE,
  email            text NOT NULL,
  first_name       text NOT NULL,
  last_name        text NOT NULL,
  phone            text,
  password_hash    text,                       -- Argon2id (Bun.password); NULL until enrollment sets it
  is_active        boolean NOT NULL DEFAULT true,
  -- MFA (issue "Password reset, MFA and polling"): which methods are set up, and their secrets.
  mfa_enabled      boolean NOT NULL DEFAULT false,
  totp_enabled     boolean NOT NULL DEFAULT false,
  totp_secret      text,                       -- base32
  email_mfa_enabled boolean NOT NULL DEFAULT false,
  email_mfa_secret text,                       -- base32, for the 60 s email codes
  recovery_codes   text[] NOT NULL DEFAULT '{}', -- SHA-256 hex of each unused code
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

CREATE TABLE groups (
  id   bigserial PRIMARY KEY,
  name text NOT NULL UNIQUE
);
INSERT INTO groups (name) VALUES ('admin');

CREATE TABLE group_members (
  group_id bigint NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
);

CREATE TABLE tokens (
  token_hash       text PRIMARY KEY,           -- SHA-256 hex of the 32-character token
  kind             text NOT NULL CHECK (kind IN ('ENROLLMENT', 'PASSWORD_RESET')),
  user_id          bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  admin_id         bigint REFERENCES users (id) ON DELETE SET NULL,
  email            text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL,        -- valid until first use
  session_deadline timestamptz,                 -- set on first use; the session ends then
  used_at          timestamptz                  -- spent (password set, reset done)
);
CREATE INDEX tokens_user_id_idx ON tokens (user_id);

CREATE TABLE devices (
  id         bigserial PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name       text NOT NULL,
  pubkey     text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, name)
);

CREATE TABLE networks (
  id                        bigserial PRIMARY KEY,
  name                      text NOT NULL UNIQUE,
  address                   text[] NOT NULL,     -- CIDRs with the gateway as host part, e.g. {10.1.0.1/24,fd00::1/64}
  port                      integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
  endpoint                  text NOT NULL,
  pubkey                    text NOT NULL,
  privkey                   text NOT NULL,       -- never leaves the Core's database through any API
  dns                       text,
  allowed_ips               text[] NOT NULL,
  keepalive_interval        integer NOT NULL DEFAULT 25,
  peer_disconnect_threshold integer NOT NULL DEFAULT 300,
  mfa_mode                  text NOT NULL DEFAULT 'disabled' CHECK (mfa_mode IN ('disabled', 'internal', 'external')),
  created_at                timestamptz NOT NULL DEFAULT now()
);

-- No rows for a network: every user may use it.
CREATE TABLE network_allowed_groups (
  network_id bigint NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
  group_id   bigint NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  PRIMARY KEY (network_id, group_id)
);

CREATE TABLE network_devices (
  network_id    bigint NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
  device_id     bigint NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  preshared_key text,
  is_authorized boolean NOT NULL DEFAULT false,
  authorized_at timestamptz,
  PRIMARY KEY (network_id, device_id)
);

-- One row per address given out; the primary key is what stops two devices racing for one address.
CREATE TABLE network_device_addresses (
  network_id bigint NOT NULL,
  device_id  bigint NOT NULL,
  address    inet NOT NULL,
  PRIMARY KEY (network_id, address),
  FOREIGN KEY (network_id, device_id) REFERENCES network_devices (network_id, device_id) ON DELETE CASCADE
);

CREATE TABLE settings (
  id                           integer PRIMARY KEY CHECK (id = 1),
  instance_name                text NOT NULL DEFAULT 'Defguard',
  instance_id                  uuid NOT NULL DEFAULT gen_random_uuid(),
  enrollment_welcome_message   text NOT NULL DEFAULT E'# Welcome, {first_name} {last_name}!\n\nYour VPN access is ready.',
  enrollment_vpn_step_optional boolean NOT NULL DEFAULT true,
  enrollment_mfa_required      boolean NOT NULL DEFAULT false,
  admin_device_management      boolean NOT NULL DEFAULT false,
  only_client_activation       boolean NOT NULL DEFAULT false
);
INSERT INTO settings (id) VALUES (1);

CREATE TABLE polling_tokens (
  token_hash text PRIMARY KEY,                  -- SHA-256 hex
  device_id  bigint NOT NULL UNIQUE REFERENCES devices (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  id_hash    text PRIMARY KEY,                  -- SHA-256 hex of the cookie value
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip_address text,
  user_agent text
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
