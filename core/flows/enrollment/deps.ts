// What the enrollment handlers are built from; main passes its shared client and config.
import type postgres from "postgres";
import type { Logger } from "../../../shared/logger.ts";
import type { CoreConfig } from "../../config.ts";
import type { EnrollmentNotices } from "./notices.ts";

export interface EnrollmentDeps {
  config: CoreConfig;
  sql: postgres.Sql;
  log: Logger;
  /** The mails the steps queue in their own transaction; none without it. */
  notices?: EnrollmentNotices;
}
