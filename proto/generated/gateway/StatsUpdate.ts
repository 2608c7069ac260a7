// Original file: proto/gateway.proto

import type { Empty as _google_protobuf_Empty, Empty__Output as _google_protobuf_Empty__Output } from '../google/protobuf/Empty';
import type { PeerStats as _gateway_PeerStats, PeerStats__Output as _gateway_PeerStats__Output } from '../gateway/PeerStats';
import type { Long } from '@grpc/proto-loader';

export interface StatsUpdate {
  'id'?: (number | string | Long);
  'empty'?: (_google_protobuf_Empty | null);
  'peer_stats'?: (_gateway_PeerStats | null);
  'payload'?: "empty"|"peer_stats";
}

export interface StatsUpdate__Output {
  'id': (number);
  'empty'?: (_google_protobuf_Empty__Output | null);
  'peer_stats'?: (_gateway_PeerStats__Output | null);
  'payload'?: "empty"|"peer_stats";
}
