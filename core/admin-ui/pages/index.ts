// Every page of the admin UI. A new page is a file in this folder exporting a UiPage, listed here (and,
// for a new section, an entry in ../nav.ts).
import type { UiPage } from "../page.ts";
import { accountPage } from "./account.tsx";
import { auditPage } from "./audit.tsx";
import { changePasswordPage } from "./change-password.tsx";
import { devicesPage } from "./devices.tsx";
import { groupPage, groupsPage } from "./groups.tsx";
import { locationPage } from "./location.tsx";
import { locationsPage } from "./locations.tsx";
import { overviewPage } from "./overview.tsx";
import { settingsPage } from "./settings.tsx";
import { disabledPage, signInPage } from "./sign-in.tsx";
import { userPage } from "./user.tsx";
import { usersPage } from "./users.tsx";

export const UI_PAGES: readonly UiPage[] = [
  signInPage,
  disabledPage,
  changePasswordPage,
  overviewPage,
  usersPage,
  userPage,
  groupsPage,
  groupPage,
  locationsPage,
  locationPage,
  devicesPage,
  settingsPage,
  auditPage,
  accountPage,
];
