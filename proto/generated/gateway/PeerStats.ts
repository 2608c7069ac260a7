// Original file: proto/gateway.proto

import type { Long } from '@grpc/proto-loader';

export interface PeerStats {
  'public_key'?: (string);
  'endpoint'?: (string);
  'upload'?: (number | string | Long);
  'download'?: (number | string | Long);
  'keepalive_interval'?: (number);
  'latest_handshake'?: (number | string | Long);
  'allowed_ips'?: (string);
}

export interface PeerStats__Output {
  'public_key': (string);
  'endpoint': (string);
  'upload': (number);
  'download': (number);
  'keepalive_interval': (number);
  'latest_handshake': (number);
  'allowed_ips': (string);
}
