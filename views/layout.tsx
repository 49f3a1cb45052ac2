import type { Child, FC } from 'hono/jsx';

/** What every page may know about the signed-in administrator: the token its forms carry, and who they are. */
export interface SignedIn {
  csrfToken: string;
  administrator?: { name: string };
}

/** The hidden field that proves a form came from one of the proxy's own pages. */
export const CsrfField: FC<{ token: string }> = ({ token }) => <input type="hidden" name="csrf" value={token} />;

/** A boxed message; `role="alert"` for errors so screen readers announce them. */
export const Notice: FC<{ tone?: 'info' | 'success' | 'warning' | 'error'; children?: Child }> = ({ tone = 'info', children }) => (
  <div class={`notice ${tone}`} role={tone === 'error' || tone === 'warning' ? 'alert' : 'status'}>
    {children}
  </div>
);

/** The console's pages, in the order the navigation shows them. */
export const CONSOLE_PAGES: ReadonlyArray<{ href: string; label: string }> = [
  { href: '/', label: 'Overview' },
  { href: '/attention', label: 'Needs attention' },
  { href: '/documents', label: 'Documents' },
  { href: '/reconciliation', label: 'Reconciliation' },
  { href: '/devices', label: 'Devices' },
  { href: '/organisations', label: 'Organisations' },
  { href: '/mappings', label: 'Mappings' },
  { href: '/settings', label: 'Settings' },
  { href: '/docs', label: 'API docs' },
];

/** The console navigation; `current` is the page shown (marked for screen readers too). */
const ConsoleNav: FC<{ current: string | undefined }> = ({ current }) => (
  <nav aria-label="Console">
    <ul class="nav">
      {CONSOLE_PAGES.map((item) => (
        <li>
          <a href={item.href} aria-current={item.href === current ? 'page' : undefined}>
            {item.label}
          </a>
        </li>
      ))}
    </ul>
  </nav>
);

/**
 * The page frame: title, stylesheet, a bar with the console navigation and "Sign out" when
 * signed in. `current` is the console page's path, for the navigation.
 */
export const Layout: FC<{ title: string; signedIn?: SignedIn | undefined; current?: string; scripts?: readonly string[]; children?: Child }> = ({ title, signedIn, current, scripts, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>{`${title} · Xero Comms Proxy`}</title>
      <link rel="stylesheet" href="/assets/app.css" />
      {(scripts ?? []).map((src) => (
        <script src={src} defer />
      ))}
    </head>
    <body>
      <header class="bar">
        <a class="brand" href="/">
          Xero Comms Proxy
        </a>
        {signedIn ? (
          <form method="post" action="/logout">
            <CsrfField token={signedIn.csrfToken} />
            {signedIn.administrator ? <span class="bar-who">{`Signed in as ${signedIn.administrator.name}`}</span> : null}
            <button type="submit">Sign out</button>
          </form>
        ) : null}
      </header>
      {signedIn ? <ConsoleNav current={current} /> : null}
      <main>{children}</main>
      <footer>This proxy keeps your Xero connection on this network and sends your apps' documents to Xero.</footer>
    </body>
  </html>
);

/** Serialises a page with its doctype. Components here are synchronous, so this is a string. */
export const renderPage = (node: unknown): string => `<!DOCTYPE html>${String(node)}`;
