// `enrollment_start`: opens (or resumes) the session of an enrollment token and tells the enrollment page
// who the user is, who invited them, what the instance is and which steps to show.
import type postgres from "postgres";
import type { AdminInfo } from "../../../proto/generated/defguard/proxy/AdminInfo.ts";
import type { EnrollmentSettings } from "../../../proto/generated/defguard/proxy/EnrollmentSettings.ts";
import type { EnrollmentStartRequest__Output } from "../../../proto/generated/defguard/proxy/EnrollmentStartRequest.ts";
import type { InitialUserInfo } from "../../../proto/generated/defguard/proxy/InitialUserInfo.ts";
import { internal } from "../../../shared/errors.ts";
import type { CoreConfig } from "../../config.ts";
import type { ResponseBody } from "../../dispatcher.ts";
import { smtpConfigured } from "../../mail/smtp-settings.ts";
import { ADMIN_GROUP } from "../../store/groups.ts";
import type { Queryable } from "../../store/queryable.ts";
import { loadInstanceInfo } from "../instance-info.ts";
import type { EnrollmentDeps } from "./deps.ts";
import { startSession } from "./session.ts";

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

interface AdminRow {
  first_name: string;
  last_name: string;
  phone: string | null;
  email: string;
}

interface SettingsRow {
  enrollment_welcome_message: string;
  enrollment_vpn_step_optional: boolean;
  enrollment_mfa_required: boolean;
  admin_device_management: boolean;
  only_client_activation: boolean;
}

/** The welcome message with `{first_name}`, `{last_name}` and `{username}` filled in. */
export function welcomePageContent(template: string, user: { first_name: string; last_name: string; login: string }): string {
  return template.replaceAll("{first_name}", user.first_name).replaceAll("{last_name}", user.last_name).replaceAll("{username}", user.login);
}

export async function loadInitialUserInfo(db: Queryable, userId: number): Promise<UserRow> {
  const [user] = await db<UserRow[]>`
    SELECT u.first_name, u.last_name, u.username AS login, u.email, u.phone, u.is_active,
           u.password_hash IS NOT NULL AS enrolled,
           EXISTS (SELECT 1 FROM group_members m JOIN groups g ON g.id = m.group_id
                   WHERE m.user_id = u.id AND g.name = ${ADMIN_GROUP}) AS is_admin,
           array(SELECT d.name FROM devices d WHERE d.user_id = u.id ORDER BY d.id) AS device_names
    FROM users u WHERE u.id = ${userId}`;
  if (!user) throw internal("enrollment token without its user");
  return user;
}

/** The admin who issued the token; when that account is gone, the longest-standing member of `admin`. */
export async function loadTokenAdmin(db: Queryable, adminId: number | null): Promise<AdminRow | undefined> {
  if (adminId !== null) {
    const [issuer] = await db<AdminRow[]>`SELECT first_name, last_name, phone, email FROM users WHERE id = ${adminId}`;
    if (issuer) return issuer;
  }
  const [fallback] = await db<AdminRow[]>`
    SELECT u.first_name, u.last_name, u.phone, u.email
    FROM users u JOIN group_members m ON m.user_id = u.id JOIN groups g ON g.id = m.group_id
    WHERE g.name = ${ADMIN_GROUP} AND u.is_active
    ORDER BY u.id LIMIT 1`;
  return fallback;
}

function toAdminInfo(admin: AdminRow): AdminInfo {
  return { name: `${admin.first_name} ${admin.last_name}`, email: admin.email, ...(admin.phone ? { phone_number: admin.phone } : {}) };
}

function toInitialUserInfo(user: UserRow): InitialUserInfo {
  const { phone, ...rest } = user;
  return { ...rest, ...(phone ? { phone_number: phone } : {}) };
}

async function loadEnrollmentSettings(db: postgres.Sql, config: CoreConfig): Promise<{ row: SettingsRow; settings: EnrollmentSettings }> {
  const [row] = await db<SettingsRow[]>`
    SELECT enrollment_welcome_message, enrollment_vpn_step_optional, enrollment_mfa_required,
           admin_device_management, only_client_activation
    FROM settings WHERE id = 1`;
  if (!row) throw internal("the settings row is missing");
  const settings: EnrollmentSettings = {
    vpn_setup_optional: row.enrollment_vpn_step_optional,
    only_client_activation: row.only_client_activation,
    admin_device_management: row.admin_device_management,
    smtp_configured: await smtpConfigured(db, config),
    mfa_required: row.enrollment_mfa_required,
  };
  return { row, settings };
}

export async function startEnrollment(deps: EnrollmentDeps, request: EnrollmentStartRequest__Output): Promise<ResponseBody> {
  const { sql, config, log } = deps;
  const session = await startSession(sql, config, request.token);
  const user = await loadInitialUserInfo(sql, session.userId);
  const admin = await loadTokenAdmin(sql, session.adminId);
  const { row, settings } = await loadEnrollmentSettings(sql, config);
  log.info(`Enrollment session of user ${user.login} open until ${new Date(session.deadline * 1000).toISOString()}`);
  return {
    enrollment_start: {
      admin: admin ? toAdminInfo(admin) : null,
      user: toInitialUserInfo(user),
      deadline_timestamp: session.deadline,
      final_page_content: welcomePageContent(row.enrollment_welcome_message, user),
      instance: await loadInstanceInfo(sql, config, user.login),
      settings,
    },
  };
}
