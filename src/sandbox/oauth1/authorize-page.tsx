import type { Child, FC } from 'hono/jsx';
import type { SandboxOrganisation } from '../organisations';

/**
 * The sandbox's stand-in for Xero's "Allow access" page: small, accessible, and escaped by
 * hono/jsx throughout. Props in, markup out; no I/O.
 */

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f6f8; color: #1b2733; }
  main { max-width: 32rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 8px; }
  fieldset { border: 1px solid #c9d1d9; border-radius: 6px; margin: 1.5rem 0; padding: 0.5rem 1rem; }
  label { display: block; padding: 0.35rem 0; }
  button { font: inherit; padding: 0.5rem 1.25rem; margin-right: 0.5rem; border-radius: 4px; border: 1px solid #1b2733; }
  button.allow { background: #13b5ea; border-color: #0d7ea3; color: #fff; }
  code { font-size: 0.9rem; }
  .code { font: 2rem/1.2 ui-monospace, monospace; letter-spacing: 0.2em; }
  .note { color: #56636f; font-size: 0.9rem; }
`;

/** The frame of every sandbox authorisation page (OAuth 1.0a and 2.0). */
export const Layout: FC<{ title: string; children?: Child }> = ({ title, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title}</title>
      <style>{STYLE}</style>
    </head>
    <body>
      <main>
        {children}
        <p class="note">This is the Xero Comms Proxy offline sandbox, not Xero.</p>
      </main>
    </body>
  </html>
);

export interface AuthorizePageProps {
  appName: string;
  oauthToken: string;
  organisations: readonly SandboxOrganisation[];
}

const AuthorizePage: FC<AuthorizePageProps> = ({ appName, oauthToken, organisations }) => (
  <Layout title={`Allow ${appName} to access your organisation?`}>
    <h1>Allow {appName} to access your organisation?</h1>
    <p>{appName} asks to read and change the data of one organisation. Choose which one.</p>
    <form method="post" action="/oauth/Authorize">
      <input type="hidden" name="oauth_token" value={oauthToken} />
      <fieldset>
        <legend>Organisation</legend>
        {organisations.map((org, index) => (
          <label>
            <input type="radio" name="organisationId" value={org.id} checked={index === 0} required />{' '}
            {org.name} <span class="note">({org.countryCode}, short code {org.shortCode})</span>
          </label>
        ))}
      </fieldset>
      <button type="submit" name="decision" value="allow" class="allow">Allow access</button>
      <button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
    </form>
  </Layout>
);

const VerifierPage: FC<{ appName: string; verifier: string; organisationName: string }> = ({ appName, verifier, organisationName }) => (
  <Layout title={`Your code for ${appName}`}>
    <h1>Access allowed</h1>
    <p>
      {appName} may now connect to {organisationName}. Enter this code in {appName} to finish:
    </p>
    <p class="code" aria-label="Verification code">{verifier}</p>
  </Layout>
);

const MessagePage: FC<{ heading: string; message: string }> = ({ heading, message }) => (
  <Layout title={heading}>
    <h1>{heading}</h1>
    <p role="alert">{message}</p>
  </Layout>
);

const page = (node: unknown): string => `<!DOCTYPE html>${String(node)}`;

/** The Allow / Deny page for a pending request token. */
export const renderAuthorizePage = (props: AuthorizePageProps): string => page(<AuthorizePage {...props} />);

/** What an `oob` app's user sees after Allow: the verifier to type in. */
export const renderVerifierPage = (props: { appName: string; verifier: string; organisationName: string }): string => page(<VerifierPage {...props} />);

/** A plain message: an `oob` denial, or why the link cannot be used. */
export const renderMessagePage = (heading: string, message: string): string => page(<MessagePage heading={heading} message={message} />);
