import { describe, expect, test } from "bun:test";
import { RoundRobin } from "./round-robin.ts";

describe("RoundRobin", () => {
  test("empty: next() is undefined", () => {
    expect(new RoundRobin<string>().next()).toBeUndefined();
  });

  test("cycles through members in order", () => {
    const rr = new RoundRobin<string>();
    rr.add("a");
    rr.add("b");
    rr.add("c");
    expect([rr.next(), rr.next(), rr.next(), rr.next()]).toEqual(["a", "b", "c", "a"]);
  });

  test("removing a member keeps the rotation fair for the rest", () => {
    const rr = new RoundRobin<string>();
    for (const m of ["a", "b", "c"]) rr.add(m);
    expect(rr.next()).toBe("a");
    expect(rr.next()).toBe("b");
    expect(rr.remove("a")).toBe(true);
    expect([rr.next(), rr.next(), rr.next()]).toEqual(["c", "b", "c"]);
    expect(rr.remove("zzz")).toBe(false);
    expect(rr.size).toBe(2);
  });

  test("removing the last member leaves none", () => {
    const rr = new RoundRobin<number>();
    rr.add(1);
    rr.remove(1);
    expect(rr.next()).toBeUndefined();
    expect(rr.all()).toEqual([]);
  });
});
