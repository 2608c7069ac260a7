// Original file: proto/gateway.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Configuration as _gateway_Configuration, Configuration__Output as _gateway_Configuration__Output } from '../gateway/Configuration';
import type { ConfigurationRequest as _gateway_ConfigurationRequest, ConfigurationRequest__Output as _gateway_ConfigurationRequest__Output } from '../gateway/ConfigurationRequest';
import type { Empty as _google_protobuf_Empty, Empty__Output as _google_protobuf_Empty__Output } from '../google/protobuf/Empty';
import type { StatsUpdate as _gateway_StatsUpdate, StatsUpdate__Output as _gateway_StatsUpdate__Output } from '../gateway/StatsUpdate';
import type { Update as _gateway_Update, Update__Output as _gateway_Update__Output } from '../gateway/Update';

export interface GatewayServiceClient extends grpc.Client {
  Config(argument: _gateway_ConfigurationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gateway_Configuration__Output>): grpc.ClientUnaryCall;
  Config(argument: _gateway_ConfigurationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gateway_Configuration__Output>): grpc.ClientUnaryCall;
  Config(argument: _gateway_ConfigurationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gateway_Configuration__Output>): grpc.ClientUnaryCall;
  Config(argument: _gateway_ConfigurationRequest, callback: grpc.requestCallback<_gateway_Configuration__Output>): grpc.ClientUnaryCall;
  config(argument: _gateway_ConfigurationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gateway_Configuration__Output>): grpc.ClientUnaryCall;
  config(argument: _gateway_ConfigurationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gateway_Configuration__Output>): grpc.ClientUnaryCall;
  config(argument: _gateway_ConfigurationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gateway_Configuration__Output>): grpc.ClientUnaryCall;
  config(argument: _gateway_ConfigurationRequest, callback: grpc.requestCallback<_gateway_Configuration__Output>): grpc.ClientUnaryCall;
  
  Stats(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientWritableStream<_gateway_StatsUpdate>;
  Stats(metadata: grpc.Metadata, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientWritableStream<_gateway_StatsUpdate>;
  Stats(options: grpc.CallOptions, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientWritableStream<_gateway_StatsUpdate>;
  Stats(callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientWritableStream<_gateway_StatsUpdate>;
  stats(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientWritableStream<_gateway_StatsUpdate>;
  stats(metadata: grpc.Metadata, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientWritableStream<_gateway_StatsUpdate>;
  stats(options: grpc.CallOptions, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientWritableStream<_gateway_StatsUpdate>;
  stats(callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientWritableStream<_gateway_StatsUpdate>;
  
  Updates(argument: _google_protobuf_Empty, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_gateway_Update__Output>;
  Updates(argument: _google_protobuf_Empty, options?: grpc.CallOptions): grpc.ClientReadableStream<_gateway_Update__Output>;
  updates(argument: _google_protobuf_Empty, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_gateway_Update__Output>;
  updates(argument: _google_protobuf_Empty, options?: grpc.CallOptions): grpc.ClientReadableStream<_gateway_Update__Output>;
  
}

export interface GatewayServiceHandlers extends grpc.UntypedServiceImplementation {
  Config: grpc.handleUnaryCall<_gateway_ConfigurationRequest__Output, _gateway_Configuration>;
  
  Stats: grpc.handleClientStreamingCall<_gateway_StatsUpdate__Output, _google_protobuf_Empty>;
  
  Updates: grpc.handleServerStreamingCall<_google_protobuf_Empty__Output, _gateway_Update>;
  
}

export interface GatewayServiceDefinition extends grpc.ServiceDefinition {
  Config: MethodDefinition<_gateway_ConfigurationRequest, _gateway_Configuration, _gateway_ConfigurationRequest__Output, _gateway_Configuration__Output>
  Stats: MethodDefinition<_gateway_StatsUpdate, _google_protobuf_Empty, _gateway_StatsUpdate__Output, _google_protobuf_Empty__Output>
  Updates: MethodDefinition<_google_protobuf_Empty, _gateway_Update, _google_protobuf_Empty__Output, _gateway_Update__Output>
}
