// Original file: proto/gateway.proto


export interface Peer {
  'pubkey'?: (string);
  'allowed_ips'?: (string)[];
  'preshared_key'?: (string);
  'keepalive_interval'?: (number);
  '_preshared_key'?: "preshared_key";
  '_keepalive_interval'?: "keepalive_interval";
}

export interface Peer__Output {
  'pubkey': (string);
  'allowed_ips': (string)[];
  'preshared_key'?: (string);
  'keepalive_interval'?: (number);
  '_preshared_key'?: "preshared_key";
  '_keepalive_interval'?: "keepalive_interval";
}
