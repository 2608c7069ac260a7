import { describe, expect, test } from "bun:test";
import { AppError, GrpcStatus, deadlineExceeded, unavailable } from "../shared/errors.ts";
import { PendingRequests } from "./pending-requests.ts";

const timeoutError = () => deadlineExceeded("timed out");

describe("PendingRequests", () => {
  test("each request takes the next id, starting at 1", () => {
    const pending = new PendingRequests<string>(10_000, timeoutError);
    const opened = [pending.open(1), pending.open(1), pending.open(2)];
    expect(opened.map((r) => r.id)).toEqual([1, 2, 3]);
    for (const r of opened) r.answer.catch(() => {});
    pending.failAll(unavailable("stop"));
  });

  test("settle resolves the request with that id and frees it", async () => {
    const pending = new PendingRequests<string>(10_000, timeoutError);
    const a = pending.open(1);
    const b = pending.open(1);
    expect(pending.settle(b.id, 1, "answer b")).toBe(true);
    expect(pending.settle(a.id, 1, "answer a")).toBe(true);
    expect(await a.answer).toBe("answer a");
    expect(await b.answer).toBe("answer b");
    expect(pending.size).toBe(0);
  });

  test("an unknown, repeated or foreign id is refused and changes nothing", () => {
    const pending = new PendingRequests<string>(10_000, timeoutError);
    const a = pending.open(7);
    expect(pending.settle(999, 7, "x")).toBe(false);
    expect(pending.settle(a.id, 8, "from another link")).toBe(false);
    expect(pending.size).toBe(1);
    expect(pending.settle(a.id, 7, "ok")).toBe(true);
    expect(pending.settle(a.id, 7, "late duplicate")).toBe(false);
    expect(pending.size).toBe(0);
  });

  test("a request not answered in time fails with DEADLINE_EXCEEDED and leaves the map", async () => {
    const pending = new PendingRequests<string>(5, timeoutError);
    const a = pending.open(1);
    const error = await a.answer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(GrpcStatus.DEADLINE_EXCEEDED);
    expect(pending.size).toBe(0);
    expect(pending.settle(a.id, 1, "late")).toBe(false);
  });

  test("failOwner fails only that owner's requests", async () => {
    const pending = new PendingRequests<string>(10_000, timeoutError);
    const mine = [pending.open(1), pending.open(1)];
    const other = pending.open(2);
    expect(pending.failOwner(1, unavailable("gone"))).toBe(2);
    for (const r of mine) expect(((await r.answer.catch((e) => e)) as AppError).code).toBe(GrpcStatus.UNAVAILABLE);
    expect(pending.size).toBe(1);
    pending.settle(other.id, 2, "still served");
    expect(await other.answer).toBe("still served");
    expect(pending.size).toBe(0);
  });

  test("failAll empties the map", async () => {
    const pending = new PendingRequests<string>(10_000, timeoutError);
    const all = [pending.open(1), pending.open(2), pending.open(3)];
    expect(pending.failAll(unavailable("shutdown"))).toBe(3);
    for (const r of all) await expect(r.answer).rejects.toThrow("shutdown");
    expect(pending.size).toBe(0);
  });
});
