import type { FC } from 'hono/jsx';
import type { SandboxOrganisation } from '../organisations';

/**
 * The sandbox's stand-in for Xero's OAuth 2.0 consent page: the scopes asked for, the
 * organisations to connect as checkboxes, Allow and Deny. Props in, markup out; no I/O.
 */

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f6f8; color: #1b2733; }
  main { max-width: 32rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 8px; }
  fieldset { border: 1px solid #c9d1d9; border-radius: 6px; margin: 1.5rem 0; padding: 0.5rem 1rem; }
  label { display: block; padding: 0.35rem 0; }
  button { font: inherit; padding: 0.5rem 1.25rem; margin-right: 0.5rem; border-radius: 4px; border: 1px solid #1b2733; }
  button.allow { background: #13b5ea; border-color: #0d7ea3; color: #fff; }
  code { font-size: 0.9rem; }
  .note { color: #56636f; font-size: 0.9rem; }
`;

export interface ConsentPageProps {
  appName: string;
  scopes: readonly string[];
  /** The authorize parameters, posted back unchanged as hidden fields. */
  hidden: ReadonlyArray<readonly [string, string]>;
  organisations: readonly SandboxOrganisation[];
}

const ConsentPage: FC<ConsentPageProps> = ({ appName, scopes, hidden, organisations }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`Allow ${appName} to access your organisations?`}</title>
      <style>{STYLE}</style>
    </head>
    <body>
      <main>
        <h1>Allow {appName} to access your organisations?</h1>
        <p>
          {appName} asks for: {scopes.map((scope, index) => (<>{index > 0 ? ', ' : ''}<code>{scope}</code></>))}.
        </p>
        <form method="post" action="/identity/connect/authorize">
          {hidden.map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <fieldset>
            <legend>Organisations to connect</legend>
            {organisations.map((org, index) => (
              <label>
                <input type="checkbox" name="organisationId" value={org.id} checked={index === 0} />{' '}
                {org.name} <span class="note">({org.countryCode})</span>
              </label>
            ))}
          </fieldset>
          <button type="submit" name="decision" value="allow" class="allow">Allow access</button>
          <button type="submit" name="decision" value="deny">Deny</button>
        </form>
        <p class="note">This is the Xero Comms Proxy offline sandbox, not Xero.</p>
      </main>
    </body>
  </html>
);

/** The consent page for a checked authorize request. */
export const renderConsentPage = (props: ConsentPageProps): string => `<!DOCTYPE html>${String(<ConsentPage {...props} />)}`;
