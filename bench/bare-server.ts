// The physical limit the bench compares against: a bare Bun.serve route on loopback that reads the same
// JSON body and answers the same JSON as the proxied bench route, with nothing in between.
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(request) {
    const body = (await request.json()) as { token?: unknown };
    // The proxied route answers false for the bench's forged token; answer the same.
    return Response.json({ token_valid: typeof body.token !== "string" });
  },
});
process.stdout.write(`Bare server is listening on 127.0.0.1:${server.port}\n`);
const shutdown = () => void server.stop(true).then(() => process.exit(0));
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
export {};
