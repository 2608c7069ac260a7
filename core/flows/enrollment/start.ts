// `enrollment_start`: opens (or resumes) the session of an enrollment token and tells the enrollment page
// who the user is, who invited them, what the instance is and which steps to show.
import type { AdminInfo } from "../../../proto/generated/defguard/proxy/AdminInfo.ts";
import type { EnrollmentSettings } from "../../../proto/generated/defguard/proxy/EnrollmentSettings.ts";
import type { EnrollmentStartRequest__Output } from "../../../proto/generated/defguard/proxy/EnrollmentStartRequest.ts";
import type { InitialUserInfo } from "../../../proto/generated/defguard/proxy/InitialUserInfo.ts";
import type { CoreConfig } from "../../config.ts";
import type { RequestContext, ResponseBody } from "../../dispatcher.ts";
import { mergeSmtpSettings } from "../../mail/smtp-settings.ts";
import { ADMIN_GROUP } from "../../store/groups.ts";
import type { Queryable } from "../../store/queryable.ts";
import { type SettingsRow, settingsColumns } from "../../store/settings.ts";
import { fillWelcomeText } from "../../welcome-text.ts";
import { instanceInfoFrom } from "../instance-info.ts";
import type { EnrollmentDeps } from "./deps.ts";
import { startTokenSessionWith } from "../token-session.ts";
import { ENROLLMENT_SESSION } from "./session.ts";

interface UserRow {
  first_name: string;
  last_name: string;
  login: string;
  email: string;
  phone: string | null;
  is_active: boolean;
  enrolled: boolean;
  is_admin: boolean;
  device_names: string[];
}

export interface AdminRow {
  first_name: string;
  last_name: string;
  phone: string | null;
  email: string;
}

/** Everything the enrollment page shows, read in one statement: the user, the inviting admin, the settings. */
interface StartPageRow extends UserRow, SettingsRow {
  admin: AdminRow | null;
}

/**
 * The admin who issued the token (`adminId`, an SQL expression) as a JSON object (first_name, last_name,
 * phone, email), for a query's select list; when that account is gone, the longest-standing active
 * member of `admin`; null when none.
 */
export function tokenAdminJson(db: Queryable, adminId: ReturnType<Queryable>) {
  return db`coalesce(
    (SELECT json_build_object('first_name', a.first_name, 'last_name', a.last_name, 'phone', a.phone, 'email', a.email)
     FROM users a WHERE a.id = ${adminId}),
    (SELECT json_build_object('first_name', a.first_name, 'last_name', a.last_name, 'phone', a.phone, 'email', a.email)
     FROM users a JOIN group_members m ON m.user_id = a.id JOIN groups g ON g.id = m.group_id
     WHERE g.name = ${ADMIN_GROUP} AND a.is_active
     ORDER BY a.id LIMIT 1))`;
}

/** The columns of StartPageRow, for startTokenSessionWith (`state` the token, `u` its user, `s` the settings). */
function startPageColumns(db: Queryable) {
  return db`
    u.first_name, u.last_name, u.username AS login, u.email, u.phone, u.is_active,
    u.password_hash IS NOT NULL AS enrolled,
    EXISTS (SELECT 1 FROM group_members m JOIN groups g ON g.id = m.group_id
            WHERE m.user_id = u.id AND g.name = ${ADMIN_GROUP}) AS is_admin,
    array(SELECT d.name FROM devices d WHERE d.user_id = u.id ORDER BY d.id) AS device_names,
    ${tokenAdminJson(db, db`state.admin_id`)} AS admin,
    ${settingsColumns(db)}`;
}

export function toAdminInfo(admin: AdminRow): AdminInfo {
  return { name: `${admin.first_name} ${admin.last_name}`, email: admin.email, ...(admin.phone ? { phone_number: admin.phone } : {}) };
}

function toInitialUserInfo(page: StartPageRow): InitialUserInfo {
  return {
    first_name: page.first_name,
    last_name: page.last_name,
    login: page.login,
    email: page.email,
    ...(page.phone ? { phone_number: page.phone } : {}),
    is_active: page.is_active,
    device_names: page.device_names,
    enrolled: page.enrolled,
    is_admin: page.is_admin,
  };
}

function toEnrollmentSettings(config: CoreConfig, settings: SettingsRow): EnrollmentSettings {
  return {
    vpn_setup_optional: settings.enrollment_vpn_step_optional,
    only_client_activation: settings.only_client_activation,
    admin_device_management: settings.admin_device_management,
    smtp_configured: mergeSmtpSettings(config.smtp, settings) !== null,
    mfa_required: settings.enrollment_mfa_required,
  };
}

/** One statement: the token (opening its session on first use) and the page's rows. */
export async function startEnrollment(deps: EnrollmentDeps, request: EnrollmentStartRequest__Output, context: RequestContext): Promise<ResponseBody> {
  const { sql, config, log } = deps;
  const { session, row: page } = await startTokenSessionWith<StartPageRow>(sql, ENROLLMENT_SESSION, config, request.token, startPageColumns(sql));
  context.username = page.login;
  log.info(`Enrollment session of user ${page.login} open until ${new Date(session.deadline * 1000).toISOString()}`);
  return {
    enrollment_start: {
      admin: page.admin ? toAdminInfo(page.admin) : null,
      user: toInitialUserInfo(page),
      deadline_timestamp: session.deadline,
      // Markdown, rendered by the Proxy's page (shared/safe-markdown.ts); the names go in as they are.
      final_page_content: fillWelcomeText(page.enrollment_welcome_message, { first_name: page.first_name, last_name: page.last_name, username: page.login }),
      instance: instanceInfoFrom(config, page, page.login),
      settings: toEnrollmentSettings(config, page),
    },
  };
}
