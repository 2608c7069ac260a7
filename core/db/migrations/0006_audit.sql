-- The audit trail: security events (admin logins, enrollments, devices added, password resets, MFA) with
-- who and from where, as the Proxy or the admin API saw the client. Append-only; listed by GET /api/v1/audit.
CREATE TABLE audit_events (
  id          bigserial PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  event       text NOT NULL,                 -- e.g. 'admin_login', 'enrollment_started', 'mfa_login'
  outcome     text NOT NULL CHECK (outcome IN ('success', 'failure')),
  username    text,                          -- the user concerned, when known (never a secret)
  ip_address  text,                          -- the client's address (device_info, or the admin API peer)
  user_agent  text,
  details     jsonb NOT NULL DEFAULT '{}'    -- e.g. {"reason": "..."} or {"device": "laptop"}
);
CREATE INDEX audit_events_occurred_idx ON audit_events (occurred_at DESC, id DESC);
CREATE INDEX audit_events_username_idx ON audit_events (username, id DESC);
