-- Admin login hardening (issue 14, items 2 and 3): failed login counts that every core shares, and the
-- short-lived logins that passed the password and wait for the second factor.

-- One row per thing being guessed at: 'user:<id>' (an existing account), 'login:<name>' (a name that is
-- no account, counted the same way so that answers never tell the two apart) and 'address:<ip>' (a
-- client address; IPv6 by /64). failures counts the current streak; it is forgotten after a quiet spell
-- (core/admin-api/login-throttle-policy.ts) and deleted by a successful login of the account.
CREATE TABLE login_failures (
  key             text PRIMARY KEY,
  failures        integer NOT NULL,
  last_failure_at timestamptz NOT NULL
);
CREATE INDEX login_failures_last_failure_at_idx ON login_failures (last_failure_at);

-- A password was right and the user has a second factor: the cookie holds 32 random bytes, this table
-- their SHA-256. Not a session: it opens nothing but the /auth/{totp,email,recovery} steps, for minutes.
CREATE TABLE admin_mfa_logins (
  id_hash    text PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip_address text,
  user_agent text
);
CREATE INDEX admin_mfa_logins_user_id_idx ON admin_mfa_logins (user_id);
