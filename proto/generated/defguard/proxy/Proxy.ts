// Original file: proto/proxy.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CoreRequest as _defguard_proxy_CoreRequest, CoreRequest__Output as _defguard_proxy_CoreRequest__Output } from '../../defguard/proxy/CoreRequest';
import type { CoreResponse as _defguard_proxy_CoreResponse, CoreResponse__Output as _defguard_proxy_CoreResponse__Output } from '../../defguard/proxy/CoreResponse';

export interface ProxyClient extends grpc.Client {
  Bidi(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_defguard_proxy_CoreResponse, _defguard_proxy_CoreRequest__Output>;
  Bidi(options?: grpc.CallOptions): grpc.ClientDuplexStream<_defguard_proxy_CoreResponse, _defguard_proxy_CoreRequest__Output>;
  bidi(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_defguard_proxy_CoreResponse, _defguard_proxy_CoreRequest__Output>;
  bidi(options?: grpc.CallOptions): grpc.ClientDuplexStream<_defguard_proxy_CoreResponse, _defguard_proxy_CoreRequest__Output>;
  
}

export interface ProxyHandlers extends grpc.UntypedServiceImplementation {
  Bidi: grpc.handleBidiStreamingCall<_defguard_proxy_CoreResponse__Output, _defguard_proxy_CoreRequest>;
  
}

export interface ProxyDefinition extends grpc.ServiceDefinition {
  Bidi: MethodDefinition<_defguard_proxy_CoreResponse, _defguard_proxy_CoreRequest, _defguard_proxy_CoreResponse__Output, _defguard_proxy_CoreRequest__Output>
}
