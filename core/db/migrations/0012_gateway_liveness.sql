-- Gateways left "connected" by a core that died (issue 15): the core holding a gateway's Updates stream
-- stamps its row on a timer; a row whose stamp ran out counts as disconnected since that stamp, whoever
-- reads it, and the next maintenance round of any core closes it (and audits the disconnect once).

-- seen_at: the holding core's last stamp, when it last knew the stream open. alive_until: seen_at plus the
-- time that core allows itself between stamps (three of its heartbeats); past it the row is stale. The
-- defaults serve rows no core stamps: those connected before this migration and those a core of an older
-- version writes during an upgrade. They get the default window (three heartbeats of 20 s), then count
-- as gone until their gateway reconnects to a core that stamps.
ALTER TABLE gateways
  ADD COLUMN seen_at     timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN alive_until timestamptz NOT NULL DEFAULT now() + interval '60 seconds';
UPDATE gateways SET seen_at = disconnected_at, alive_until = disconnected_at WHERE disconnected_at IS NOT NULL;

-- The sweep looks for open rows whose window ran out.
CREATE INDEX gateways_open_alive_until_idx ON gateways (alive_until) WHERE disconnected_at IS NULL;

-- What every reader (admin API, admin UI, health, metrics) takes a gateway's state from, so that the rule
-- is written once: connected while its row is open and its stamp fresh; a stale row reads as disconnected
-- at its last stamp, the value the sweep will store.
CREATE VIEW gateway_states AS
  SELECT id, network_id, hostname, name, version, address, connected_at, seen_at,
         disconnected_at IS NULL AND alive_until > now() AS connected,
         CASE WHEN disconnected_at IS NULL AND alive_until <= now() THEN seen_at ELSE disconnected_at END AS disconnected_at
  FROM gateways;
