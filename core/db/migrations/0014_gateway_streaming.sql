-- The audit trail of gateways pairs up (issue 15): each audited gateway_connected gets exactly one
-- gateway_disconnected, written by whoever ends that connection's row: its stream ending, the sweep of
-- stale rows, or a newer connection of the same host replacing the row while it was still open.

-- streaming: the row's current connection is an Updates stream, whose connect was audited. A row written
-- by Config alone (the gateway has not opened its stream yet, or never does) is false: when it goes stale
-- or is replaced, no disconnect is audited, as no connect was. Open rows of the previous version are almost
-- all Updates streams (Config is followed by Updates within a second), so they count as streaming.
ALTER TABLE gateways ADD COLUMN streaming boolean NOT NULL DEFAULT false;
UPDATE gateways SET streaming = true WHERE disconnected_at IS NULL;
