import type { FC } from 'hono/jsx';
import { Layout } from '../oauth1/authorize-page';
import type { SandboxOrganisation } from '../organisations';

/**
 * The sandbox's stand-in for Xero's OAuth 2.0 consent page: the scopes asked for, the
 * organisations to connect as checkboxes, Allow and Deny. Props in, markup out; no I/O.
 */
export interface ConsentPageProps {
  appName: string;
  scopes: readonly string[];
  /** The authorize parameters, posted back unchanged as hidden fields. */
  hidden: ReadonlyArray<readonly [string, string]>;
  organisations: readonly SandboxOrganisation[];
}

const ConsentPage: FC<ConsentPageProps> = ({ appName, scopes, hidden, organisations }) => (
  <Layout title={`Allow ${appName} to access your organisations?`}>
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
  </Layout>
);

/** The consent page for a checked authorize request. */
export const renderConsentPage = (props: ConsentPageProps): string => `<!DOCTYPE html>${String(<ConsentPage {...props} />)}`;
