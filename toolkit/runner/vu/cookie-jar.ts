/** A per-VU cookie jar: enough of RFC 6265 for load scripts (host, path prefix, expiry). */

interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expires: number;
}

export class CookieJar {
  private readonly byHost = new Map<string, Map<string, StoredCookie>>();

  /** Stores the cookies of Set-Cookie header values received from `url`. */
  storeFromResponse(url: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const cookie: StoredCookie = {
        name: pair.slice(0, eq).trim(),
        value: pair.slice(eq + 1).trim(),
        path: '/',
        expires: 0,
      };
      for (const attr of attrs) {
        const [k = '', v = ''] = attr.split('=').map((s) => s.trim());
        const key = k.toLowerCase();
        if (key === 'path' && v) cookie.path = v;
        else if (key === 'max-age') cookie.expires = Number(v) <= 0 ? -1 : Date.now() + Number(v) * 1000;
        else if (key === 'expires' && cookie.expires === 0) cookie.expires = Date.parse(v) || 0;
      }
      this.set(url.hostname, cookie);
    }
  }

  set(host: string, cookie: StoredCookie): void {
    let jar = this.byHost.get(host);
    if (!jar) this.byHost.set(host, (jar = new Map()));
    if (cookie.expires !== 0 && cookie.expires < Date.now()) jar.delete(cookie.name);
    else jar.set(cookie.name, cookie);
  }

  get empty(): boolean {
    return this.byHost.size === 0;
  }

  clearAll(): void {
    this.byHost.clear();
  }

  /** name → values for a URL, as k6's jar.cookiesForURL. */
  cookiesForURL(url: URL): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const jar = this.byHost.get(url.hostname);
    if (!jar) return out;
    const now = Date.now();
    for (const c of jar.values()) {
      if (c.expires !== 0 && c.expires < now) continue;
      if (!url.pathname.startsWith(c.path)) continue;
      (out[c.name] ??= []).push(c.value);
    }
    return out;
  }

  delete(host: string, name: string): void {
    this.byHost.get(host)?.delete(name);
  }

  clear(host: string): void {
    this.byHost.delete(host);
  }
}
