import { describe, expect, test } from "bun:test";
import { createLineCoalescer } from "./stdout-lines.ts";

/** A sink that records each write, and a way to wait for the next one (a bound, not a measurement). */
function recordingSink() {
  const writes: string[] = [];
  return {
    writes,
    sink: (text: string) => void writes.push(text),
    async until(count: number) {
      for (let i = 0; i < 200 && writes.length < count; i++) await Bun.sleep(5);
    },
  };
}

describe("createLineCoalescer", () => {
  test("lines logged together leave in one write, in order, each with its newline", async () => {
    const out = recordingSink();
    const lines = createLineCoalescer(out.sink, 20);
    lines.write("one");
    lines.write("two");
    lines.write("three");
    expect(out.writes).toEqual([]);
    await out.until(1);
    expect(out.writes).toEqual(["one\ntwo\nthree\n"]);
  });

  test("writeNow writes what waits first, then its line, at once", () => {
    const out = recordingSink();
    const lines = createLineCoalescer(out.sink, 10_000);
    lines.write("info");
    lines.writeNow("error");
    expect(out.writes).toEqual(["info\nerror\n"]);
  });

  test("a burst over the size bound is written at once; flush writes the rest", () => {
    const out = recordingSink();
    const lines = createLineCoalescer(out.sink, 10_000, 10);
    lines.write("12345");
    expect(out.writes).toEqual([]);
    lines.write("67890");
    expect(out.writes).toEqual(["12345\n67890\n"]);
    lines.write("tail");
    lines.flush();
    lines.flush();
    expect(out.writes).toEqual(["12345\n67890\n", "tail\n"]);
  });

  test.each([
    ["process.exit()", "process.exit(3)", 3],
    ["an uncaught error", "throw new Error('boom')", 1],
  ])("lines still waiting are written when the process ends by %s", async (_, ending, code) => {
    const script = `
      const { createLogger } = await import(${JSON.stringify(new URL("./logger.ts", import.meta.url).pathname)});
      const log = createLogger({ level: "info", format: "text", target: "test" });
      log.info("first line");
      log.info("last line before the end");
      ${ending};`;
    const child = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" });
    const [stdout, exitCode] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    expect(exitCode).toBe(code);
    expect(stdout).toContain("INFO test: first line\n");
    expect(stdout).toContain("INFO test: last line before the end\n");
  });
});
