// The path of the bench-only route that bench/bench-proxy.ts adds to the real proxy.
export const BENCH_ROUTE = "/api/v1/bench/client-mfa-token-validation";
