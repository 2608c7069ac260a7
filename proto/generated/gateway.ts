import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { FirewallConfig as _enterprise_firewall_FirewallConfig, FirewallConfig__Output as _enterprise_firewall_FirewallConfig__Output } from './enterprise/firewall/FirewallConfig';
import type { FirewallRule as _enterprise_firewall_FirewallRule, FirewallRule__Output as _enterprise_firewall_FirewallRule__Output } from './enterprise/firewall/FirewallRule';
import type { IpAddress as _enterprise_firewall_IpAddress, IpAddress__Output as _enterprise_firewall_IpAddress__Output } from './enterprise/firewall/IpAddress';
import type { IpRange as _enterprise_firewall_IpRange, IpRange__Output as _enterprise_firewall_IpRange__Output } from './enterprise/firewall/IpRange';
import type { Port as _enterprise_firewall_Port, Port__Output as _enterprise_firewall_Port__Output } from './enterprise/firewall/Port';
import type { PortRange as _enterprise_firewall_PortRange, PortRange__Output as _enterprise_firewall_PortRange__Output } from './enterprise/firewall/PortRange';
import type { SnatBinding as _enterprise_firewall_SnatBinding, SnatBinding__Output as _enterprise_firewall_SnatBinding__Output } from './enterprise/firewall/SnatBinding';
import type { Configuration as _gateway_Configuration, Configuration__Output as _gateway_Configuration__Output } from './gateway/Configuration';
import type { ConfigurationRequest as _gateway_ConfigurationRequest, ConfigurationRequest__Output as _gateway_ConfigurationRequest__Output } from './gateway/ConfigurationRequest';
import type { GatewayServiceClient as _gateway_GatewayServiceClient, GatewayServiceDefinition as _gateway_GatewayServiceDefinition } from './gateway/GatewayService';
import type { Peer as _gateway_Peer, Peer__Output as _gateway_Peer__Output } from './gateway/Peer';
import type { PeerStats as _gateway_PeerStats, PeerStats__Output as _gateway_PeerStats__Output } from './gateway/PeerStats';
import type { StatsUpdate as _gateway_StatsUpdate, StatsUpdate__Output as _gateway_StatsUpdate__Output } from './gateway/StatsUpdate';
import type { Update as _gateway_Update, Update__Output as _gateway_Update__Output } from './gateway/Update';
import type { Empty as _google_protobuf_Empty, Empty__Output as _google_protobuf_Empty__Output } from './google/protobuf/Empty';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  enterprise: {
    firewall: {
      FirewallConfig: MessageTypeDefinition<_enterprise_firewall_FirewallConfig, _enterprise_firewall_FirewallConfig__Output>
      FirewallPolicy: EnumTypeDefinition
      FirewallRule: MessageTypeDefinition<_enterprise_firewall_FirewallRule, _enterprise_firewall_FirewallRule__Output>
      IpAddress: MessageTypeDefinition<_enterprise_firewall_IpAddress, _enterprise_firewall_IpAddress__Output>
      IpRange: MessageTypeDefinition<_enterprise_firewall_IpRange, _enterprise_firewall_IpRange__Output>
      IpVersion: EnumTypeDefinition
      Port: MessageTypeDefinition<_enterprise_firewall_Port, _enterprise_firewall_Port__Output>
      PortRange: MessageTypeDefinition<_enterprise_firewall_PortRange, _enterprise_firewall_PortRange__Output>
      Protocol: EnumTypeDefinition
      SnatBinding: MessageTypeDefinition<_enterprise_firewall_SnatBinding, _enterprise_firewall_SnatBinding__Output>
    }
  }
  gateway: {
    Configuration: MessageTypeDefinition<_gateway_Configuration, _gateway_Configuration__Output>
    ConfigurationRequest: MessageTypeDefinition<_gateway_ConfigurationRequest, _gateway_ConfigurationRequest__Output>
    GatewayService: SubtypeConstructor<typeof grpc.Client, _gateway_GatewayServiceClient> & { service: _gateway_GatewayServiceDefinition }
    Peer: MessageTypeDefinition<_gateway_Peer, _gateway_Peer__Output>
    PeerStats: MessageTypeDefinition<_gateway_PeerStats, _gateway_PeerStats__Output>
    StatsUpdate: MessageTypeDefinition<_gateway_StatsUpdate, _gateway_StatsUpdate__Output>
    Update: MessageTypeDefinition<_gateway_Update, _gateway_Update__Output>
    UpdateType: EnumTypeDefinition
  }
  google: {
    protobuf: {
      Empty: MessageTypeDefinition<_google_protobuf_Empty, _google_protobuf_Empty__Output>
    }
  }
}

