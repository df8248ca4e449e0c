/** Environment variable with the URL people reach the webserver at (see docs/webserver-api.md). */
export const PUBLIC_URL_ENV = "BOSUN_WEBSERVER_PUBLIC_URL";
/** Environment variable with more host names the webserver answers to, comma-separated. */
export const ALLOWED_HOSTS_ENV = "BOSUN_WEBSERVER_ALLOWED_HOSTS";

/** The names the webserver answers to besides loopback and IP addresses (DNS rebinding protection). */
export interface HostSettings {
  /** The URL people reach the webserver at; its host is accepted in Host and Origin. */
  readonly publicUrl?: string;
  /** Further names (`bosun.internal`, `*.example.com`, or `*` for any). */
  readonly allowedHosts?: readonly string[];
}

/**
 * Host settings from explicit options, else the environment; parsed once at startup so a typo fails
 * there, naming the setting, instead of refusing every request later.
 */
export function parseHostSettings(
  explicit: HostSettings,
  env: Readonly<Record<string, string | undefined>> = process.env,
): HostSettings {
  const publicUrl = explicit.publicUrl ?? (env[PUBLIC_URL_ENV] || undefined);
  if (publicUrl !== undefined) {
    let url: URL | null = null;
    try {
      url = new URL(publicUrl);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:"))
      throw new Error(
        `public URL (--public-url / ${PUBLIC_URL_ENV}) must be an http(s) URL such as https://bosun.example.com, got ${JSON.stringify(publicUrl)}`,
      );
  }
  const allowedHosts =
    explicit.allowedHosts ??
    env[ALLOWED_HOSTS_ENV]
      ?.split(",")
      .map((h) => h.trim())
      .filter(Boolean);
  for (const host of allowedHosts ?? []) {
    if (host !== "*" && !/^(\*\.)?[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/.test(host))
      throw new Error(
        `allowed host (${ALLOWED_HOSTS_ENV}) must be a host name, *.domain, [IPv6] or *, without port or scheme; got ${JSON.stringify(host)}`,
      );
  }
  return {
    ...(publicUrl !== undefined ? { publicUrl } : {}),
    ...(allowedHosts !== undefined ? { allowedHosts } : {}),
  };
}
