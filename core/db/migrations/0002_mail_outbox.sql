-- Mail: the outbox that makes sending survive an SMTP outage or a core restart, and the SMTP settings an
-- admin may store to override the DEFGUARD_SMTP_* environment (core/mail/smtp-settings.ts).

-- One row per mail. A worker (any core) claims due rows with FOR UPDATE SKIP LOCKED, marks them 'sending'
-- with a lease (claimed_by, claimed_until), and marks them 'sent' or schedules a retry. A lease that
-- expires (its core died mid-send) makes the row claimable again. The bodies may carry a token or a code:
-- they are blanked once the mail is sent or given up.
CREATE TABLE mail_outbox (
  id              bigserial PRIMARY KEY,
  recipient       text NOT NULL,
  subject         text NOT NULL,
  text            text NOT NULL,
  html            text NOT NULL,
  kind            text NOT NULL,                -- which template made it, e.g. 'password_reset'
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,   -- claims so far, a crashed send included
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  claimed_by      text,                         -- the worker that holds the lease
  claimed_until   timestamptz
);
-- The worker's question "what is due?" looks only at unfinished rows.
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE state IN ('pending', 'sending');
CREATE INDEX mail_outbox_created_idx ON mail_outbox (created_at DESC);

-- NULL: use the DEFGUARD_SMTP_* value. The password never leaves the core through any API.
ALTER TABLE settings
  ADD COLUMN smtp_host       text,
  ADD COLUMN smtp_port       integer CHECK (smtp_port BETWEEN 1 AND 65535),
  ADD COLUMN smtp_user       text,
  ADD COLUMN smtp_password   text,
  ADD COLUMN smtp_sender     text,
  ADD COLUMN smtp_encryption text CHECK (smtp_encryption IN ('none', 'starttls', 'tls'));
