import { describe, expect, test } from "bun:test";
import { changedFigures, parseDump } from "./peer-stats.ts";

const DUMP = [
  "cHJpdmF0ZQ==\tcHVibGlj\t51820\toff",
  "cGVlcjE=\t(none)\t198.18.0.2:41000\t100.64.0.2/32\t1764830000\t1480\t920\t25",
  "cGVlcjI=\tcHNr\t(none)\t(none)\t0\t0\t0\toff",
  "cGVlcjM=\t(none)\t(none)\t100.64.0.4/32,100.64.1.0/24\t1764830100\t10\t20\toff",
  "",
].join("\n");

describe("parseDump", () => {
  test("reads the interface line and every peer, rx as download and tx as upload", () => {
    const dump = parseDump(DUMP);
    expect(dump.publicKey).toBe("cHVibGlj");
    expect(dump.listenPort).toBe(51820);
    expect(dump.peers).toEqual([
      { public_key: "cGVlcjE=", endpoint: "198.18.0.2:41000", allowed_ips: "100.64.0.2/32", latest_handshake: 1764830000, download: 1480, upload: 920, keepalive_interval: 25 },
      { public_key: "cGVlcjI=", endpoint: "", allowed_ips: "", latest_handshake: 0, download: 0, upload: 0, keepalive_interval: 0 },
      { public_key: "cGVlcjM=", endpoint: "", allowed_ips: "100.64.0.4/32,100.64.1.0/24", latest_handshake: 1764830100, download: 10, upload: 20, keepalive_interval: 0 },
    ]);
    expect([...dump.presharedKeys]).toEqual([["cGVlcjI=", "cHNr"]]);
  });
  test("refuses output of another shape", () => {
    expect(() => parseDump("")).toThrow("unexpected first line of wg dump: (empty output)");
    expect(() => parseDump("a\tb\t1\toff\nx\ty\n")).toThrow("unexpected peer line of wg dump (2 fields)");
  });
});

describe("changedFigures", () => {
  const [one, never, three] = parseDump(DUMP).peers;
  test("sends every peer with a handshake the first time, none without", () => {
    const { send, sent } = changedFigures(new Map(), [one!, never!, three!]);
    expect(send).toEqual([one!, three!]);
    expect([...sent.keys()]).toEqual([one!.public_key, three!.public_key]);
  });
  test("sends again only the peers whose figures changed, and forgets peers gone from the interface", () => {
    const first = changedFigures(new Map(), [one!, three!]).sent;
    const moved = { ...one!, download: 2000 };
    const { send, sent } = changedFigures(first, [moved, three!]);
    expect(send).toEqual([moved]);
    const gone = changedFigures(sent, [moved]).sent;
    expect(changedFigures(gone, [moved, three!]).send).toEqual([three!]);
  });
});
