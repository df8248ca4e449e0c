/**
 * The main navigation and which item a page belongs to. Matching by path prefix alone would mark "Code
 * locations" on a job's page (`/locations/<location>/jobs/<job>`); each item says which pages are its own.
 */
export interface NavItem {
  readonly to: string;
  readonly label: string;
  readonly owns: (pathname: string) => boolean;
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
  { to: "/deployments", label: "Deployments", owns: under("/deployments") },
];

/** The navigation item of a page, if any. */
export function navItemOf(pathname: string): NavItem | null {
  return NAV.find((item) => item.owns(pathname)) ?? null;
}
