import type { FC } from 'hono/jsx';
import { Layout, Notice, type SignedIn } from '../layout';

/** A pairing request waiting for a person, as listed. */
export interface PendingItem {
  userCode: string;
  deviceId: string;
  name: string;
}

export interface CodeFormPageProps {
  signedIn: SignedIn;
  code?: string | undefined;
  error?: string | undefined;
  pending: readonly PendingItem[];
}

/** "Type the code your app shows", plus the requests waiting now, so a code can also be picked. */
export const CodeFormPage: FC<CodeFormPageProps> = ({ signedIn, code, error, pending }) => (
  <Layout title="Connect an app" signedIn={signedIn}>
    <section class="card">
      <h1>Connect an app</h1>
      <p>Your app (a till or practice software) shows a code when it asks to send to Xero. Type that code here.</p>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <form method="get" action="/connect">
        <div class="field">
          <label for="code">Pairing code</label>
          <input type="text" id="code" name="code" class="code" value={code ?? ''} placeholder="BCDF-GHJK" autocomplete="off" autocapitalize="characters" spellcheck={false} required aria-describedby="code-help" />
          <p class="help" id="code-help">
            Eight letters, like BCDF-GHJK. Upper or lower case and the dash do not matter.
          </p>
        </div>
        <button type="submit" class="primary">
          Continue
        </button>
      </form>
    </section>
    {pending.length > 0 ? (
      <section class="card">
        <h2>Apps waiting now</h2>
        <PendingList pending={pending} />
      </section>
    ) : null}
  </Layout>
);

/** The apps waiting for approval, each with a link to review it. */
export const PendingList: FC<{ pending: readonly PendingItem[] }> = ({ pending }) => (
  <ul class="choices">
    {pending.map((item) => (
      <li>
        <span>
          {item.name} <span class="help mono">({item.deviceId})</span>
        </span>
        <a href={`/connect?code=${encodeURIComponent(item.userCode)}`}>Review {item.userCode}</a>
      </li>
    ))}
  </ul>
);
