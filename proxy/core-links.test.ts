import { describe, expect, test } from "bun:test";
import type { CoreRequest, CoreResponse__Output } from "../shared/proto.ts";
import { AppError, GrpcStatus, unavailable } from "../shared/errors.ts";
import { createLogger } from "../shared/logger.ts";
import { CoreLinks, type CoreLinkTransport, DISCONNECTED_MESSAGE, NOT_CONNECTED_MESSAGE, TIMEOUT_MESSAGE } from "./core-links.ts";

function setup(timeoutMs = 10_000) {
  const lines: string[] = [];
  const log = createLogger({ level: "debug", format: "text", target: "test", write: (l) => lines.push(l) });
  return { links: new CoreLinks({ timeoutMs, log }), lines };
}

/** An in-memory transport recording what the proxy writes to it. */
function transport(peer: string, version = "1.6.0") {
  const written: CoreRequest[] = [];
  const closed: string[] = [];
  const t: CoreLinkTransport = { peer, version, write: (r) => void written.push(r), close: (reason) => void closed.push(reason) };
  return { t, written, closed };
}

const answer = (id: number, extra: Partial<CoreResponse__Output> = { empty: {}, payload: "empty" }) =>
  ({ id, ...extra }) as CoreResponse__Output;

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const e = await p.catch((err: unknown) => err);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe("CoreLinks", () => {
  test("no Core connected: UNAVAILABLE at once", async () => {
    const { links } = setup();
    const e = await errorOf(links.send({ password_reset_init: { email: "a@b.c" } }));
    expect([e.code, e.message]).toEqual([GrpcStatus.UNAVAILABLE, NOT_CONNECTED_MESSAGE]);
    expect(links.pendingCount).toBe(0);
  });

  test("a request is written with its id and resolved by the answer with that id", async () => {
    const { links } = setup();
    const core = transport("127.0.0.1:1000");
    const link = links.attach(core.t);
    const p = links.send({ enrollment_start: { token: "t" } });
    expect(core.written).toEqual([{ enrollment_start: { token: "t" }, id: 1 }]);
    link.receive(answer(1));
    expect(await p).toEqual(answer(1));
    expect(links.pendingCount).toBe(0);
  });

  test("late and unknown ids are logged and dropped", async () => {
    const { links, lines } = setup();
    const link = links.attach(transport("127.0.0.1:1000").t);
    link.receive(answer(42));
    expect(lines.some((l) => l.includes("Dropping an answer for an unknown or expired request id") && l.includes("id=42"))).toBe(true);
    expect(links.pendingCount).toBe(0);
  });

  test("responses without payload (a Core's header nudges) are discarded without a log line", async () => {
    const { links, lines } = setup();
    const link = links.attach(transport("127.0.0.1:1000").t);
    const p = links.send({ enrollment_start: { token: "t" } });
    for (let i = 0; i < 50; i++) link.receive({ id: 0 } as CoreResponse__Output);
    link.receive({ id: 1 } as CoreResponse__Output); // no payload: answers nothing, not even its own id
    expect(links.pendingCount).toBe(1);
    expect(lines).toEqual([]);
    link.receive(answer(1));
    expect(await p).toEqual(answer(1));
  });

  test("timeout: DEADLINE_EXCEEDED, and the late answer is dropped", async () => {
    const { links } = setup(5);
    const link = links.attach(transport("127.0.0.1:1000").t);
    const e = await errorOf(links.send({ instance_info: { token: "x" } }));
    expect([e.code, e.message]).toEqual([GrpcStatus.DEADLINE_EXCEEDED, TIMEOUT_MESSAGE]);
    link.receive(answer(1));
    expect(links.pendingCount).toBe(0);
  });

  test("round-robin over live Cores; one leaving fails only its own requests", async () => {
    const { links } = setup();
    const a = transport("10.0.0.1:1");
    const b = transport("10.0.0.2:2");
    const linkA = links.attach(a.t);
    const linkB = links.attach(b.t);
    expect(links.connectedCount).toBe(2);
    const p1 = links.send({ instance_info: { token: "1" } });
    const p2 = links.send({ instance_info: { token: "2" } });
    const p3 = links.send({ instance_info: { token: "3" } });
    expect(a.written.map((r) => r.id)).toEqual([1, 3]);
    expect(b.written.map((r) => r.id)).toEqual([2]);
    linkA.detach("stream ended");
    for (const p of [p1, p3]) {
      const e = await errorOf(p);
      expect([e.code, e.message]).toEqual([GrpcStatus.UNAVAILABLE, DISCONNECTED_MESSAGE]);
    }
    linkB.receive(answer(2));
    expect((await p2).id).toBe(2);
    const p4 = links.send({ instance_info: { token: "4" } });
    expect(b.written.map((r) => r.id)).toEqual([2, 4]);
    linkB.receive(answer(4));
    await p4;
    expect(links.connectedCount).toBe(1);
    expect(links.pendingCount).toBe(0);
  });

  test("an answer arriving on another link than the request's is dropped", async () => {
    const { links } = setup(20);
    const linkA = links.attach(transport("a:1").t);
    const linkB = links.attach(transport("b:2").t);
    const p = links.send({ instance_info: { token: "x" } }); // goes to A
    linkB.receive(answer(1));
    expect(links.pendingCount).toBe(1);
    linkA.receive(answer(1));
    expect((await p).id).toBe(1);
  });

  test("detach is idempotent; coreVersion is the latest connected Core's and stays after it leaves", () => {
    const { links } = setup();
    expect(links.coreVersion).toBeUndefined();
    const link = links.attach(transport("a:1", "1.6.2").t);
    expect(links.coreVersion).toBe("1.6.2");
    link.detach("x");
    link.detach("x");
    expect(links.connectedCount).toBe(0);
    expect(links.coreVersion).toBe("1.6.2");
  });

  test("a transport whose write throws fails the request with UNAVAILABLE", async () => {
    const { links } = setup();
    links.attach({ peer: "a:1", version: "1.6.0", write: () => { throw new Error("stream closed"); }, close: () => {} });
    const e = await errorOf(links.send({ instance_info: { token: "x" } }));
    expect(e.code).toBe(GrpcStatus.UNAVAILABLE);
    expect(links.pendingCount).toBe(0);
  });

  test("closeAll fails what is in flight and closes every stream", async () => {
    const { links } = setup();
    const a = transport("a:1");
    const b = transport("b:2");
    links.attach(a.t);
    links.attach(b.t);
    const p = links.send({ instance_info: { token: "x" } });
    links.closeAll(unavailable("Defguard proxy is shutting down"), "shutdown");
    expect((await errorOf(p)).message).toBe("Defguard proxy is shutting down");
    expect([a.closed, b.closed]).toEqual([["shutdown"], ["shutdown"]]);
    expect(links.pendingCount).toBe(0);
  });
});
