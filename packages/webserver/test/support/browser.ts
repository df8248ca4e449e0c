/**
 * Just enough of a browser for sign-in flows: a cookie jar per origin (paths ignored), manual redirects,
 * and the provider's dev login and consent forms submitted as a person would.
 */
export class TestBrowser {
  private readonly jars = new Map<string, Map<string, string>>();
  /** Every `Set-Cookie` header seen, for checking attributes. */
  readonly setCookies: string[] = [];

  cookie(origin: string, name: string): string | undefined {
    return this.jars.get(origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string): void {
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    jar.set(name, value);
    this.jars.set(origin, jar);
  }

  async request(
    method: string,
    url: string | URL,
    options: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const target = new URL(url);
    const jar = this.jars.get(target.origin) ?? new Map<string, string>();
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await fetch(target, {
      method,
      redirect: "manual",
      headers: { ...(cookie ? { cookie } : {}), ...options.headers },
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
    for (const header of response.headers.getSetCookie()) {
      this.setCookies.push(header);
      const [pair = "", ...attributes] = header.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0$/i.test(a)) || value === "";
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
    this.jars.set(target.origin, jar);
    return response;
  }

  /**
   * Follows redirects from `start`, signing in as `login` and consenting on the provider's pages, and
   * stops at the first redirect to a URL starting with `stopAt` (not visited), which it returns.
   */
  async signInUntil(start: string, login: string, stopAt: string): Promise<URL> {
    let response = await this.request("GET", start);
    let url = new URL(start);
    for (let step = 0; step < 20; step++) {
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        url = new URL(location, url);
        if (url.href.startsWith(stopAt)) return url;
        response = await this.request("GET", url);
        continue;
      }
      const html = await response.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
      if (response.status !== 200 || !action || !prompt)
        throw new Error(`sign-in stopped at ${url.href} with ${response.status}: ${html.slice(0, 300)}`);
      url = new URL(action.replaceAll("&amp;", "&"), url);
      const fields = new URLSearchParams({ prompt, ...(prompt === "login" ? { login, password: "x" } : {}) });
      response = await this.request("POST", url, {
        body: fields.toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
    }
    throw new Error("sign-in did not reach the callback in 20 steps");
  }
}
