// Every page of the admin UI. A new page is a file in this folder exporting a UiPage, listed here (and,
// for a new section, an entry in ../nav.ts).
import type { UiPage } from "../page.ts";
import { accountPage } from "./account.tsx";
import { changePasswordPage } from "./change-password.tsx";
import { groupPage, groupsPage } from "./groups.tsx";
import { overviewPage } from "./overview.tsx";
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
  accountPage,
];
