import { setAdminPassword } from '../../src/services/administrators';
import type { ServiceDeps } from '../../src/services/deps';
import { asCli } from './actor';
import { fetchFrom } from './from-address';

/** A cheaper scrypt cost for tests that sign in often; production always hashes with N=2^17. */
export const TEST_SCRYPT_COST = { N: 2 ** 14, r: 8, p: 1 };
export const ADMIN_PASSWORD = 'correct horse battery staple';
/** The administrator `givenAdminPassword` makes: "admin", as `admin set-password` does. */
export const ADMIN_NAME = 'admin';

/** Sets the password of the administrator "admin" the quick way (the CLI test covers the real cost). */
export async function givenAdminPassword(deps: Pick<ServiceDeps, 'db' | 'clock'>, password = ADMIN_PASSWORD): Promise<void> {
  await setAdminPassword(asCli(deps), password, TEST_SCRYPT_COST);
}

/** One HTTP answer, read once. */
export interface Page {
  status: number;
  headers: Headers;
  text: string;
  /** Raw Set-Cookie lines of this answer. */
  setCookies: string[];
  location: string | null;
}

/**
 * Fetch as a browser would for these pages: a cookie jar, no automatic redirects, and an `Origin`
 * on every POST (the proxy's own, unless a test says otherwise).
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  readonly origin: string;
  readonly #localAddress: string | undefined;
  /**
   * `origin`: what the browser's address bar shows, when the proxy is reached another way (https
   * tests). `localAddress`: connect from this loopback address (127.0.0.2 …), another computer
   * to the proxy's per-address limits.
   */
  constructor(
    readonly base: string,
    options: { origin?: string; localAddress?: string } = {},
  ) {
    this.origin = options.origin ?? new URL(base).origin;
    this.#localAddress = options.localAddress;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.#send(path, { method: 'GET', headers });
  }

  /** Posts a form; `origin: null` leaves the Origin header out. */
  async post(path: string, form: Record<string, string>, options: { origin?: string | null; headers?: Record<string, string> } = {}): Promise<Page> {
    const origin = options.origin === undefined ? this.origin : options.origin;
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...(origin !== null ? { origin } : {}), ...options.headers };
    return this.#send(path, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  }

  /** Signs in through the real form, name and password; returns the answer to the POST. */
  async signIn(password = ADMIN_PASSWORD, next?: string, name = ADMIN_NAME): Promise<Page> {
    const form = await this.get(`/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
    return this.post('/login', { csrf: field(form.text, 'csrf'), next: field(form.text, 'next'), name, password });
  }

  async #send(path: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Page> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const url = new URL(path, this.base);
    const headers = { ...init.headers, ...(cookie ? { cookie } : {}) };
    const response = this.#localAddress
      ? await fetchFrom(this.#localAddress, url, { ...init, headers })
      : await fetch(url, { ...init, redirect: 'manual', headers });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/;\s*max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: response.status, headers: response.headers, text: await response.text(), setCookies, location: response.headers.get('location') };
  }
}

/** The value of a form field (`name="…" value="…"`) in a page; throws if absent. */
export function field(html: string, name: string): string {
  const input = new RegExp(`<input[^>]*\\sname="${name}"[^>]*>`).exec(html)?.[0];
  const value = input && /\svalue="([^"]*)"/.exec(input)?.[1];
  if (value === undefined) throw new Error(`no field ${name} in:\n${html.slice(0, 2000)}`);
  return value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** The page's visible text, tags dropped and entities decoded, for asserting on sentences. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
}
