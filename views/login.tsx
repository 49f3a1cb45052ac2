import type { FC } from 'hono/jsx';
import { CsrfField, Layout, Notice } from './layout';
import { QrCode } from './qr-code';

export interface LoginPageProps {
  csrfToken: string;
  /** Where to go after signing in (already checked to be a path on this proxy). */
  next: string;
  /** The name typed before, shown again after a refusal (never the password). */
  name?: string | undefined;
  error?: string | undefined;
  notice?: string | undefined;
  /** `admin.require_mfa` is off: administrators without an authenticator app sign in with the password alone. */
  passwordAlone: boolean;
}

/** The first step of signing in: the administrator's name and password. */
export const LoginPage: FC<LoginPageProps> = ({ csrfToken, next, name, error, notice, passwordAlone }) => (
  <Layout title="Sign in">
    <section class="card">
      <h1>Sign in</h1>
      <p>Sign in as one of this proxy's administrators to approve devices, link Xero organisations and see what reached Xero.</p>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {error ? <Notice tone="error">{error}</Notice> : null}
      <form method="post" action="/login">
        <CsrfField token={csrfToken} />
        <input type="hidden" name="next" value={next} />
        <div class="field">
          <label for="name">Administrator name</label>
          <input type="text" id="name" name="name" value={name ?? ''} autocomplete="username" autocapitalize="none" spellcheck={false} required autofocus />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input type="password" id="password" name="password" autocomplete="current-password" required aria-describedby="password-help" />
          <p class="help" id="password-help">
            Forgotten it? On the server, <span class="mono">xero-proxy admin reset-password NAME</span> sets a new one.
          </p>
        </div>
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
      {passwordAlone ? (
        <p class="help">
          Two-step sign-in is not required on this proxy (<span class="mono">admin.require_mfa = false</span>, as in the demo): an administrator who has not set up an authenticator app signs in with the password alone.
        </p>
      ) : (
        <p class="help">After the password comes a code from your authenticator app; at the first sign-in you set the app up.</p>
      )}
    </section>
  </Layout>
);

/** Shown instead of the form until an administrator exists. */
export const NoAdministratorPage: FC = () => (
  <Layout title="Add an administrator first">
    <section class="card">
      <h1>Add an administrator first</h1>
      <p>Nobody can sign in yet, because this proxy has no administrator. On the computer that runs the proxy, open a terminal and run:</p>
      <p class="mono">xero-proxy admin add NAME</p>
      <p>Choose a password of at least 12 characters (a few unrelated words work well), then reload this page.</p>
    </section>
  </Layout>
);

export interface CodePageProps {
  csrfToken: string;
  next: string;
  name: string;
  error?: string | undefined;
}

/** The second step: a code from the authenticator app, or a recovery code. */
export const CodePage: FC<CodePageProps> = ({ csrfToken, next, name, error }) => (
  <Layout title="Enter your code">
    <section class="card">
      <h1>Enter your code</h1>
      <p>{`The password of ${name} is right. Now type the six-digit code your authenticator app shows for Xero Comms Proxy.`}</p>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <form method="post" action="/login/code">
        <CsrfField token={csrfToken} />
        <input type="hidden" name="next" value={next} />
        <div class="field">
          <label for="code">Code</label>
          <input type="text" class="code" id="code" name="code" autocomplete="one-time-code" autocapitalize="none" spellcheck={false} required autofocus aria-describedby="code-help" />
          <p class="help" id="code-help">
            No phone at hand? Type one of your recovery codes instead (like <span class="mono">7k3m-9q2w-z4ab-x8cd</span>); each works once. Lost both? Another administrator can reset your two-step sign-in, or on the server: <span class="mono">{`xero-proxy admin reset-mfa ${name}`}</span>.
          </p>
        </div>
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
      <form method="post" action="/logout" class="actions">
        <CsrfField token={csrfToken} />
        <button type="submit">Cancel</button>
      </form>
    </section>
  </Layout>
);

export interface EnrolPageProps {
  csrfToken: string;
  next: string;
  name: string;
  /** The otpauth:// URI's QR modules, and its secret as text for typing into the app. */
  qr: boolean[][];
  secret: string;
  /** Signing in waits for this (admin.require_mfa), rather than a signed-in administrator choosing it. */
  required: boolean;
  error?: string | undefined;
}

/** Setting up two-step sign-in: scan the QR code (or type the secret), then confirm with a code. */
export const EnrolPage: FC<EnrolPageProps> = ({ csrfToken, next, name, qr, secret, required, error }) => (
  <Layout title="Set up two-step sign-in">
    <section class="card">
      <h1>Set up two-step sign-in</h1>
      {required ? <p>{`This proxy asks every administrator for a code from an authenticator app after the password. Set it up for ${name} now; it takes a minute.`}</p> : <p>{`After the password, ${name} will also need a code from an authenticator app.`}</p>}
      {error ? <Notice tone="error">{error}</Notice> : null}
      <ol>
        <li>Open an authenticator app on your phone (such as Google Authenticator, Microsoft Authenticator, 1Password or Aegis) and add an account.</li>
        <li>
          Scan this QR code:
          <QrCode modules={qr} title={`QR code for Xero Comms Proxy, ${name}`} />
          <p>
            Or type this key in the app (time-based, six digits, every 30 seconds):
            <br />
            <span class="mono" id="totp-secret">
              {secret}
            </span>
          </p>
        </li>
        <li>Type the six-digit code the app now shows for Xero Comms Proxy.</li>
      </ol>
      <form method="post" action="/login/enrol">
        <CsrfField token={csrfToken} />
        <input type="hidden" name="next" value={next} />
        <div class="field">
          <label for="code">Code from the app</label>
          <input type="text" class="code" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required aria-describedby="code-help" />
          <p class="help" id="code-help">
            Six digits. If the code is refused, check that the phone's clock is right.
          </p>
        </div>
        <button type="submit" class="primary">
          Turn on two-step sign-in
        </button>
      </form>
      {required ? (
        <form method="post" action="/logout" class="actions">
          <CsrfField token={csrfToken} />
          <button type="submit">Sign out</button>
        </form>
      ) : null}
    </section>
  </Layout>
);

/** The ten recovery codes, shown this once. */
export const RecoveryCodesPage: FC<{ codes: readonly string[] | undefined; next: string; name: string; csrfToken: string }> = ({ codes, next, name, csrfToken }) => (
  <Layout title="Your recovery codes" signedIn={{ csrfToken, administrator: { name } }}>
    <section class="card">
      <h1>Your recovery codes</h1>
      {codes ? (
        <>
          <Notice tone="success">Two-step sign-in is on. Keep these recovery codes somewhere safe, away from your phone: each signs you in once if the phone is lost. They are shown only now.</Notice>
          <ul class="mono" id="recovery-codes" aria-label="Recovery codes">
            {codes.map((code) => (
              <li>{code}</li>
            ))}
          </ul>
          <p class="help">The settings page says how many are left and makes new ones.</p>
        </>
      ) : (
        <Notice tone="warning">The recovery codes were shown once already and are not kept in a readable form. Make new ones on the settings page if you did not keep them.</Notice>
      )}
      <p>
        <a href={next}>I have kept them: continue</a>
      </p>
    </section>
  </Layout>
);

/**
 * Too many sign-in attempts: a pause, not a lock-out. `address`: from this computer; `account`:
 * at the administrator's account from several computers together, so everyone waits.
 */
export const TooManyAttemptsPage: FC<{ minutes: number; limit: 'address' | 'account' }> = ({ minutes, limit }) => {
  const wait = `Wait ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}, then try again.`;
  return (
    <Layout title="Too many sign-in attempts">
      <section class="card">
        <h1>Too many sign-in attempts</h1>
        {limit === 'account' ? (
          <>
            <Notice tone="error">
              There were too many sign-in attempts at this administrator account from several computers, so signing in is paused for everyone, even with the right password. {wait}
            </Notice>
            <p>
              If nobody here made those attempts, someone on the network may be guessing the password. On the computer that runs the proxy, <span class="mono">xero-proxy admin reset-password NAME</span> sets a new password and ends the pause.
            </p>
          </>
        ) : (
          <>
            <Notice tone="error">There were too many sign-in attempts from this computer. {wait}</Notice>
            <p>This pause protects the proxy from people guessing passwords and codes.</p>
          </>
        )}
        <p>
          <a href="/login">Back to sign in</a>
        </p>
      </section>
    </Layout>
  );
};
