-- MFA, password reset and desktop-client MFA (issue "Password reset, MFA and polling"): replay guards for
-- one-time codes, the desktop-client MFA sessions (kept here so a core restart or another core can finish
-- them), and the per-address limit of password reset mails.

-- totp_last_step: the time step of the last TOTP code accepted; a code is never accepted twice (RFC 6238,
-- 5.2). Mailed codes are bound to a single-use session instead. email_mfa_sent_step: the step of the last
-- code mailed, so that repeated starts within one step send one mail (the code would be the same).
ALTER TABLE users
  ADD COLUMN totp_last_step      bigint,
  ADD COLUMN email_mfa_sent_step bigint;

-- One row per desktop-client MFA session: the JWT handed out is known here only by its SHA-256. At most
-- one session per device and location: a new start replaces the previous one. A right code deletes the
-- row (single use); a row with failed_attempts at the limit stays until it expires, to say why.
CREATE TABLE client_mfa_sessions (
  id              bigserial PRIMARY KEY,
  token_hash      text NOT NULL UNIQUE,
  device_id       bigint NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  network_id      bigint NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
  user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  method          text NOT NULL CHECK (method IN ('totp', 'email')),
  failed_attempts integer NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  UNIQUE (device_id, network_id)
);
CREATE INDEX client_mfa_sessions_expires_idx ON client_mfa_sessions (expires_at);

-- The last password reset request per address, known or not, keyed by SHA-256 of the lower-cased
-- address so that strangers' addresses are not stored. Rows older than the limit are pruned.
CREATE TABLE password_reset_requests (
  email_hash        text PRIMARY KEY,
  last_requested_at timestamptz NOT NULL
);
CREATE INDEX password_reset_requests_time_idx ON password_reset_requests (last_requested_at);
