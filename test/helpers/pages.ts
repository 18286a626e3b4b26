import net from 'node:net';

/** A free loopback port (so PUBLIC_BASE_URL can name the port the app will listen on). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A browser's cookies, enough for the pages: name=value, kept and sent back, removed when cleared. */
export class Jar {
  readonly cookies = new Map<string, string>();

  take(res: Response): Response {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const gone = !value || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** fetch with these cookies, never following redirects (tests follow them by hand). */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.header());
    return this.take(await fetch(url, { ...init, headers, redirect: 'manual' }));
  }

  /** fetch, following redirects (through other hosts too, as a browser does), keeping cookies for `origin`. */
  async follow(url: string, origin: string, init: RequestInit = {}): Promise<Response> {
    let res = await (url.startsWith(origin) ? this.fetch(url, init) : fetch(url, { redirect: 'manual' }));
    for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) {
      const next = new URL(res.headers.get('location')!, url).toString();
      url = next;
      res = next.startsWith(origin) ? await this.fetch(next) : await fetch(next, { redirect: 'manual' });
    }
    return res;
  }
}

/** The CSRF token a page carries (`<body data-csrf>`). */
export function csrfIn(html: string): string {
  return /data-csrf="([^"]+)"/.exec(html)?.[1] ?? '';
}

/** The first link to a request page in a text. */
export function linkIn(text: string): string | null {
  return /https?:\/\/\S+\/h5\/requests\/\S+/.exec(text)?.[0] ?? null;
}
