/**
 * Which `Host` (and `Origin`) names this webserver answers to: its guard against DNS rebinding, where a
 * page on attacker.example re-points its own name at 127.0.0.1 and then calls the API from the victim's
 * browser, which sends `Host: attacker.example`. Names, not ports, are compared: the attacker controls
 * neither the name check nor which loopback port the browser reaches.
 *
 * Always allowed: loopback names (`localhost`, `*.localhost`), IP addresses (rebinding needs a DNS name:
 * a browser sends an IP as Host only to the server at that IP, so the pod IP a probe or a peer uses is
 * fine), the bound address, and the public URL's host. `allowedHosts` adds names (`bosun.example.com`,
 * or `*.example.com` for every subdomain); `"*"` turns the check off (for a proxy that checks Host itself).
 *
 * Origin is stricter: a mutating call from a browser page must come from this same host (the Origin's
 * host is the request's Host) or from a loopback or configured name, never merely from some IP address.
 */
export interface HostPolicy {
  /** Whether a request with this `Host` header may be answered. */
  allowsHost(hostHeader: string | undefined): boolean;
  /**
   * Whether a mutating request from this `Origin` may be answered, given its (already allowed) `Host`.
   * An absent Origin is not a browser's cross-site request, and is allowed.
   */
  allowsOrigin(origin: string | undefined, hostHeader: string | undefined): boolean;
  /** The allowed names, for error messages. */
  readonly names: readonly string[];
}

export interface HostPolicyOptions {
  readonly publicUrl?: string | undefined;
  readonly allowedHosts?: readonly string[] | undefined;
  /** The address the server binds; allowed unless it is a wildcard (0.0.0.0, ::). */
  readonly bindHost?: string | undefined;
}

const WILDCARD_BINDS = new Set(["0.0.0.0", "::", "[::]", ""]);

export function createHostPolicy(options: HostPolicyOptions): HostPolicy {
  const configured = (options.allowedHosts ?? []).map((h) => h.trim().toLowerCase()).filter(Boolean);
  const anyHost = configured.includes("*");
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const name of configured) {
    if (name.startsWith("*.")) suffixes.push(name.slice(1));
    else exact.add(hostName(name) ?? name);
  }
  if (options.publicUrl) exact.add(new URL(options.publicUrl).hostname.toLowerCase());
  const bind = options.bindHost?.toLowerCase();
  if (bind && !WILDCARD_BINDS.has(bind))
    exact.add(bind.includes(":") && !bind.startsWith("[") ? `[${bind}]` : bind);

  const allowsName = (name: string | null): boolean => {
    if (name === null) return false;
    if (anyHost || isLoopback(name) || exact.has(name)) return true;
    return suffixes.some((suffix) => name.endsWith(suffix) && name.length > suffix.length);
  };
  const allowsHostName = (name: string | null) => name !== null && (allowsName(name) || isIpAddress(name));
  return {
    names: [
      "localhost",
      "127.0.0.1",
      "[::1]",
      "any IP address",
      ...exact,
      ...suffixes.map((s) => `*${s}`),
      ...(anyHost ? ["*"] : []),
    ],
    allowsHost: (hostHeader) => anyHost || (hostHeader !== undefined && allowsHostName(hostName(hostHeader))),
    allowsOrigin: (origin, hostHeader) => {
      if (origin === undefined || anyHost) return true;
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        return false; // includes the opaque "null" origin of sandboxed pages and file: URLs
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") return false;
      const name = url.hostname.toLowerCase();
      const sameHost = hostHeader !== undefined && hostName(hostHeader) === name;
      return (sameHost && allowsHostName(name)) || allowsName(name);
    },
  };
}

/** The name part of a Host header (`Example.com:3000` → `example.com`, `[::1]:3000` → `[::1]`); null if malformed. */
export function hostName(hostHeader: string): string | null {
  try {
    const url = new URL(`http://${hostHeader.trim()}`);
    if (url.username || url.password || url.pathname !== "/" || url.search || url.hash) return null;
    return url.hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** An IPv4 address or a bracketed IPv6 one, as `hostName` writes them (WHATWG URL normalises both). */
function isIpAddress(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || (name.startsWith("[") && name.endsWith("]"));
}

/**
 * Whether a bind address only accepts connections from this machine (127.0.0.0/8, ::1, localhost): the
 * one case where the webserver may serve without auth and not be told it is fine.
 */
export function isLoopbackBindAddress(host: string): boolean {
  const bracketed = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  const name = hostName(bracketed);
  return name !== null && isLoopback(name);
}

function isLoopback(name: string): boolean {
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    name === "[::1]" ||
    /^127(\.\d{1,3}){3}$/.test(name)
  );
}
