/**
 * The main navigation and which item a page belongs to. Matching by path prefix alone would mark "Code
 * locations" on a job's page (`/locations/<location>/jobs/<job>`); each item says which pages are its own.
 */
export interface NavItem {
  readonly to: string;
  readonly label: string;
  readonly owns: (pathname: string) => boolean;
  /** Shown only to callers holding this permission on the whole instance (the API refuses the rest anyway). */
  readonly permission?: string;
}

const under = (prefix: string) => (pathname: string) =>
  pathname === prefix || pathname.startsWith(`${prefix}/`);

const JOB_PAGE = /^\/locations\/[^/]+\/jobs(\/|$)/;

export const NAV: readonly NavItem[] = [
  { to: "/", label: "Overview", owns: (p) => p === "/" },
  { to: "/runs", label: "Runs", owns: under("/runs") },
  { to: "/jobs", label: "Jobs", owns: (p) => under("/jobs")(p) || JOB_PAGE.test(p) },
  { to: "/assets", label: "Assets", owns: under("/assets") },
  { to: "/automation", label: "Schedules & sensors", owns: under("/automation") },
  { to: "/locations", label: "Code locations", owns: (p) => under("/locations")(p) && !JOB_PAGE.test(p) },
  { to: "/queue", label: "Queue", owns: under("/queue") },
  { to: "/tokens", label: "API tokens", owns: under("/tokens"), permission: "tokens.manage" },
  { to: "/audit", label: "Audit log", owns: under("/audit"), permission: "audit.view" },
  { to: "/deployments", label: "Deployments", owns: under("/deployments") },
];

/** The items a caller with these instance-wide permissions sees; none of the guarded ones until known. */
export function visibleNav(instancePermissions: readonly string[] | undefined): readonly NavItem[] {
  return NAV.filter(
    (item) => item.permission === undefined || (instancePermissions?.includes(item.permission) ?? false),
  );
}

/** The navigation item of a page, if any. */
export function navItemOf(pathname: string): NavItem | null {
  return NAV.find((item) => item.owns(pathname)) ?? null;
}
