// The main navigation: one entry per section, in order. A new section adds its line here; `admin`
// entries are shown to members of group admin only.
export interface NavEntry {
  href: string;
  label: string;
  admin: boolean;
}

export const NAV: readonly NavEntry[] = [
  { href: "/ui/overview", label: "Overview", admin: true },
  { href: "/ui/users", label: "Users", admin: true },
  { href: "/ui/groups", label: "Groups", admin: true },
  { href: "/ui/locations", label: "Locations", admin: true },
  { href: "/ui/devices", label: "Devices", admin: true },
  { href: "/ui/audit", label: "Audit log", admin: true },
  { href: "/ui/settings", label: "Settings", admin: true },
  { href: "/ui/account", label: "My account", admin: false },
];

/** The entry `path` belongs to (the longest matching prefix), for aria-current. */
export function currentEntry(path: string): NavEntry | undefined {
  return NAV.filter((e) => path === e.href || path.startsWith(`${e.href}/`)).sort((a, b) => b.href.length - a.href.length)[0];
}
