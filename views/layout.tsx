import type { Child, FC } from 'hono/jsx';

/** What every page may know about the signed-in administrator: the token its forms carry. */
export interface SignedIn {
  csrfToken: string;
}

/** The hidden field that proves a form came from one of the proxy's own pages. */
export const CsrfField: FC<{ token: string }> = ({ token }) => <input type="hidden" name="csrf" value={token} />;

/** A boxed message; `role="alert"` for errors so screen readers announce them. */
export const Notice: FC<{ tone?: 'info' | 'success' | 'warning' | 'error'; children?: Child }> = ({ tone = 'info', children }) => (
  <div class={`notice ${tone}`} role={tone === 'error' || tone === 'warning' ? 'alert' : 'status'}>
    {children}
  </div>
);

/** The page frame: title, stylesheet, a bar with "Sign out" when signed in. No scripts anywhere. */
export const Layout: FC<{ title: string; signedIn?: SignedIn | undefined; children?: Child }> = ({ title, signedIn, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>{`${title} · Xero Comms Proxy`}</title>
      <link rel="stylesheet" href="/assets/app.css" />
    </head>
    <body>
      <header class="bar">
        <a class="brand" href="/">
          Xero Comms Proxy
        </a>
        {signedIn ? (
          <form method="post" action="/logout">
            <CsrfField token={signedIn.csrfToken} />
            <button type="submit">Sign out</button>
          </form>
        ) : null}
      </header>
      <main>{children}</main>
      <footer>This proxy keeps your Xero connection on this network and sends your apps' documents to Xero.</footer>
    </body>
  </html>
);

/** Serialises a page with its doctype. Components here are synchronous, so this is a string. */
export const renderPage = (node: unknown): string => `<!DOCTYPE html>${String(node)}`;
