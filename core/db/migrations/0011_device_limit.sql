-- Devices a user may add through enrollment (issue 14, item 6: one enrollment session looping create_device
-- with fresh keys filled a network). Admins change it with PATCH /api/v1/settings; devices an admin adds are
-- not limited.
ALTER TABLE settings
  ADD COLUMN max_devices_per_user integer NOT NULL DEFAULT 10 CHECK (max_devices_per_user BETWEEN 1 AND 1000);
