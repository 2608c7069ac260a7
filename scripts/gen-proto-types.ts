// Regenerates proto/generated/ from proto/proxy.proto; run after editing the .proto (`bun run proto:gen`).
// The loader options here must match PROTO_LOADER_OPTIONS in shared/proto.ts.
import { $ } from "bun";

await $`rm -rf proto/generated`;
await $`proto-loader-gen-types --keepCase --longs=Number --enums=Number --oneofs --defaults --grpcLib=@grpc/grpc-js --outDir=proto/generated proto/proxy.proto`;
console.log("proto/generated rebuilt");
