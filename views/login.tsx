import type { FC } from 'hono/jsx';
import { CsrfField, Layout, Notice } from './layout';

export interface LoginPageProps {
  csrfToken: string;
  /** Where to go after signing in (already checked to be a path on this proxy). */
  next: string;
  error?: string | undefined;
  notice?: string | undefined;
}

/** The administrator's sign-in form: one password, no user name. */
export const LoginPage: FC<LoginPageProps> = ({ csrfToken, next, error, notice }) => (
  <Layout title="Sign in">
    <section class="card">
      <h1>Sign in</h1>
      <p>Enter the administrator password of this proxy to approve devices and link Xero organisations.</p>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {error ? <Notice tone="error">{error}</Notice> : null}
      <form method="post" action="/login">
        <CsrfField token={csrfToken} />
        <input type="hidden" name="next" value={next} />
        <div class="field">
          <label for="password">Administrator password</label>
          <input type="password" id="password" name="password" autocomplete="current-password" required autofocus aria-describedby="password-help" />
          <p class="help" id="password-help">
            Forgotten it? Set a new one on the server with <span class="mono">xero-proxy admin set-password</span>.
          </p>
        </div>
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
    </section>
  </Layout>
);

/** Shown instead of the form until an administrator password exists. */
export const NoPasswordPage: FC = () => (
  <Layout title="Set an administrator password first">
    <section class="card">
      <h1>Set an administrator password first</h1>
      <p>Nobody can sign in yet, because this proxy has no administrator password. On the computer that runs the proxy, open a terminal and run:</p>
      <p class="mono">xero-proxy admin set-password</p>
      <p>Choose at least 12 characters (a few unrelated words work well), then reload this page.</p>
    </section>
  </Layout>
);

/**
 * Too many sign-in attempts: a pause, not a lock-out. `address`: from this computer; `account`:
 * at the administrator account from several computers together, so everyone waits.
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
              There were too many sign-in attempts at the administrator account from several computers, so signing in is paused for everyone, even with the right password. {wait}
            </Notice>
            <p>
              If nobody here made those attempts, someone on the network may be guessing the password. On the computer that runs the proxy, <span class="mono">xero-proxy admin set-password</span> sets a new password and ends the pause.
            </p>
          </>
        ) : (
          <>
            <Notice tone="error">There were too many sign-in attempts from this computer. {wait}</Notice>
            <p>This pause protects the proxy from people guessing the password.</p>
          </>
        )}
        <p>
          <a href="/login">Back to sign in</a>
        </p>
      </section>
    </Layout>
  );
};
