-- Where the search for a network's next free device address starts, one per CIDR of networks.address (same
-- positions): every host address of that CIDR below its hint is taken, or is the gateway. NULL (the column or
-- an element): nothing is known, the search starts at the CIDR's lowest host. Before this, finding the first
-- free address read every address the network had given out, so each new device cost more than the last.
ALTER TABLE networks ADD COLUMN address_hints inet[];

-- A freed address lowers the hint of the CIDR it lies in, whatever deleted it (a device, a user, a cascade).
-- Its UPDATE takes the network row's lock, so it waits for an allocation holding that lock, then lowers the
-- hint that allocation wrote; an allocation starting later waits for it and reads the lowered hint.
CREATE FUNCTION lower_network_address_hints() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE networks n
  SET address_hints = ARRAY(
    SELECT CASE WHEN x.hint IS NULL THEN NULL
                ELSE least(x.hint, (SELECT min(f.address) FROM freed f WHERE f.network_id = n.id AND f.address <<= x.cidr::inet))
           END
    FROM unnest(n.address, n.address_hints) WITH ORDINALITY AS x(cidr, hint, position)
    ORDER BY x.position)
  WHERE n.address_hints IS NOT NULL AND n.id IN (SELECT f.network_id FROM freed f);
  RETURN NULL;
END $$;

CREATE TRIGGER network_addresses_freed AFTER DELETE ON network_device_addresses
  REFERENCING OLD TABLE AS freed FOR EACH STATEMENT EXECUTE FUNCTION lower_network_address_hints();

-- New CIDRs: nothing is known of them yet.
CREATE FUNCTION reset_network_address_hints() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.address IS DISTINCT FROM OLD.address THEN
    NEW.address_hints := NULL;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER network_address_changed BEFORE UPDATE OF address ON networks
  FOR EACH ROW EXECUTE FUNCTION reset_network_address_hints();
