// The load generator's HTTP/1.1 connection against a real Bun.serve on loopback.
import { afterAll, describe, expect, test } from "bun:test";
import { HttpConnection } from "./http-connection.ts";

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(request) {
    const url = new URL(request.url);
    const echoed = { path: url.pathname, cookie: request.headers.get("cookie"), type: request.headers.get("content-type"), body: await request.text() };
    const headers = new Headers([["set-cookie", "a=1; HttpOnly"], ["set-cookie", "b=2; Path=/"]]);
    return Response.json(echoed, { status: url.pathname === "/missing" ? 404 : 200, headers });
  },
});
/** Answers every request chunked, as a server streaming its answer would (Bun.serve buffers short ones). */
const chunked = Bun.listen({
  hostname: "127.0.0.1",
  port: 0,
  socket: { data: (socket) => void socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n") },
});
afterAll(() => {
  server.stop(true);
  chunked.stop(true);
});
const base = new URL(`http://127.0.0.1:${server.port}`);

describe("HttpConnection", () => {
  test("POSTs JSON with a cookie and reads status, cookies and body; requests follow on one connection", async () => {
    const connection = await HttpConnection.open(base);
    const first = await connection.post("/one", JSON.stringify({ ż: "ółw" }), "s=abc");
    expect(first.status).toBe(200);
    expect(first.cookies).toEqual(["a=1", "b=2"]);
    expect(JSON.parse(first.body.toString())).toEqual({ path: "/one", cookie: "s=abc", type: "application/json", body: '{"ż":"ółw"}' });
    const second = await connection.post("/missing", "{}");
    expect(second.status).toBe(404);
    expect(JSON.parse(second.body.toString()).cookie).toBeNull();
    connection.close();
  });

  test("one request at a time; an answer it cannot read fails the request and the connection", async () => {
    const connection = await HttpConnection.open(base);
    const pending = connection.post("/one", "{}");
    await expect(connection.post("/two", "{}")).rejects.toThrow("one request at a time on a connection");
    await pending;
    connection.close();
    const streaming = await HttpConnection.open(new URL(`http://127.0.0.1:${chunked.port}`));
    await expect(streaming.post("/", "{}")).rejects.toThrow("answers with Transfer-Encoding chunked are not read here");
    await expect(streaming.post("/", "{}")).rejects.toThrow("answers with Transfer-Encoding chunked are not read here");
    streaming.close();
  });
});
