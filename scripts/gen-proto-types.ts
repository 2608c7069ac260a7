// Regenerates proto/generated/ from proto/proxy.proto and proto/gateway.proto (with the firewall
// messages it imports); run after editing a .proto (`bun run proto:gen`).
// The loader options here must match PROTO_LOADER_OPTIONS in shared/proto.ts and shared/gateway-proto.ts.
import { $ } from "bun";

await $`rm -rf proto/generated`;
await $`proto-loader-gen-types --keepCase --longs=Number --enums=Number --oneofs --defaults --grpcLib=@grpc/grpc-js --includeDirs=proto --outDir=proto/generated proxy.proto gateway.proto`;
console.log("proto/generated rebuilt");
