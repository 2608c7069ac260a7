-- Wrong desktop-client MFA codes, counted apart from the sessions (issue 14: a new client_mfa_start opened
-- a session with a fresh count, so 4 wrong codes per session went on for ever). One row per device and
-- location ('device:<device id>:<network id>') and one per user across all of them ('user:<user id>');
-- every wrong code counts in both. core/mfa/code-throttle.ts has the rules: `failures` forgets one wrong
-- code per hour; from a scope's free allowance on, each wrong code blocks the scope for twice as long as
-- the one before (1 min up to 1 h), and while a scope is blocked every code is refused, the right one too.
CREATE TABLE client_mfa_throttles (
  scope              text PRIMARY KEY,
  user_id            bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  device_id          bigint REFERENCES devices (id) ON DELETE CASCADE,
  network_id         bigint REFERENCES networks (id) ON DELETE CASCADE,
  failures           integer NOT NULL DEFAULT 0,     -- recent wrong codes, one forgotten per hour
  decay_from         timestamptz NOT NULL DEFAULT now(), -- the hour of forgetting under way started here
  blocked_until      timestamptz,                    -- every code is refused until then
  episode_failures   integer NOT NULL DEFAULT 0,     -- wrong codes since `failures` was last back to 0
  episode_started_at timestamptz,
  last_failure_at    timestamptz,
  alerted_at         timestamptz,                    -- user rows: the episode was reported (mail, audit) then
  CHECK ((device_id IS NULL) = (network_id IS NULL))
);
CREATE INDEX client_mfa_throttles_user_idx ON client_mfa_throttles (user_id);
