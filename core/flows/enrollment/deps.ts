// What the enrollment handlers are built from; main passes its shared client and config.
import type postgres from "postgres";
import type { Logger } from "../../../shared/logger.ts";
import type { CoreConfig } from "../../config.ts";
import type { PeerEventPublisher } from "../../gateway/peer-events.ts";
import type { EnrollmentNotices } from "./notices.ts";

export interface EnrollmentDeps {
  config: CoreConfig;
  sql: postgres.Sql;
  log: Logger;
  /** The mails the steps queue in their own transaction; none without it. */
  notices?: EnrollmentNotices;
  /** Told of each device added, after the commit (the gateways of its networks add it). */
  events?: PeerEventPublisher;
}
