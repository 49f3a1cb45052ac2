import type { FC } from 'hono/jsx';
import { CsrfField, Layout, Notice, type SignedIn } from '../layout';

export interface PasteAddressPageProps {
  signedIn: SignedIn;
  authorizeUrl: string;
  /** Where Xero will send the browser: a localhost address, which only works on the proxy's own computer. */
  redirectUri: string;
  code?: string | undefined;
  error?: string | undefined;
}

/**
 * Xero sends the browser back to a localhost address (Xero accepts plain http only there). On
 * any other computer that page does not load; its address still holds Xero's answer, so the
 * person copies it from the address bar and pastes it here.
 */
export const PasteAddressPage: FC<PasteAddressPageProps> = ({ signedIn, authorizeUrl, redirectUri, code, error }) => (
  <Layout title="Allow access at Xero" signedIn={signedIn}>
    <section class="card">
      <h1>Allow access at Xero</h1>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <ol>
        <li>
          <a href={authorizeUrl} target="_blank" rel="noopener noreferrer">
            Open Xero
          </a>{' '}
          (a new tab), sign in, tick the organisations and choose Allow access.
        </li>
        <li>
          Xero then sends the browser to <span class="mono">{redirectUri}</span>. Unless this browser runs on the proxy's own computer, that page will not load: that is expected.
        </li>
        <li>Copy the whole address from that tab's address bar and paste it below.</li>
      </ol>
      <form method="post" action="/connect/paste">
        <CsrfField token={signedIn.csrfToken} />
        {code ? <input type="hidden" name="code" value={code} /> : null}
        <div class="field">
          <label for="address">Address the browser landed on</label>
          <input type="text" id="address" name="address" placeholder={`${redirectUri}?code=…&state=…`} autocomplete="off" spellcheck={false} required />
        </div>
        <button type="submit" class="primary">
          Finish linking
        </button>
      </form>
    </section>
  </Layout>
);
