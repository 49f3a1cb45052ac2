import type { FC } from 'hono/jsx';
import type { SessionView } from '../src/services/admin-sessions';
import type { AdministratorSummary } from '../src/services/administrators';
import { CsrfField, Notice, type SignedIn } from './layout';
import { Ago } from './time';

/** The signed-in administrator's own account, as the settings page shows it. */
export interface AccountView {
  name: string;
  mfaEnrolled: boolean;
  recoveryCodesLeft: number;
  sessions: SessionView[];
}

/** A sentence about what was just done, and the section it belongs to. */
export interface SectionNotice {
  section: 'account' | 'two-step' | 'sessions' | 'administrators';
  text: string;
}

const Said: FC<{ notice: SectionNotice | undefined; section: SectionNotice['section'] }> = ({ notice, section }) => (notice?.section === section ? <Notice tone="success">{notice.text}</Notice> : null);

/** Your account: password, two-step sign-in with its recovery codes, and your signed-in browsers. */
export const AccountSections: FC<{ signedIn: SignedIn; now: Date; account: AccountView; requireMfa: boolean; notice: SectionNotice | undefined }> = ({ signedIn, now, account, requireMfa, notice }) => (
  <>
    <section class="card" id="account" aria-labelledby="account-heading">
      <h2 id="account-heading">{`Your account: ${account.name}`}</h2>
      <Said notice={notice} section="account" />
      <form method="post" action="/settings/account/password">
        <CsrfField token={signedIn.csrfToken} />
        <div class="field">
          <label for="current-password">Current password</label>
          <input type="password" id="current-password" name="current" autocomplete="current-password" required />
        </div>
        <div class="field">
          <label for="new-password">New password</label>
          <input type="password" id="new-password" name="password" autocomplete="new-password" minlength={12} required aria-describedby="new-password-help" />
          <p class="help" id="new-password-help">
            At least 12 characters. Your other browsers are signed out; this one stays.
          </p>
        </div>
        <button type="submit">Change password</button>
      </form>
    </section>

    <section class="card" id="two-step" aria-labelledby="two-step-heading">
      <h2 id="two-step-heading">Two-step sign-in</h2>
      <Said notice={notice} section="two-step" />
      {account.mfaEnrolled ? (
        <>
          <p>{`On: after the password, ${account.name} types a code from an authenticator app.`}</p>
          <p>
            <strong>{`${account.recoveryCodesLeft} of 10 recovery codes left.`}</strong> {account.recoveryCodesLeft <= 3 ? 'Make new ones before they run out.' : 'Each signs in once if the phone is lost.'}
          </p>
          <form method="post" action="/settings/account/recovery-codes" class="actions">
            <CsrfField token={signedIn.csrfToken} />
            <button type="submit">Make new recovery codes</button>
          </form>
          <p class="help">The old codes stop working; the new ones are shown once.</p>
        </>
      ) : (
        <>
          <Notice tone="warning">
            {requireMfa
              ? 'Off for this account: you will set it up at your next sign-in.'
              : 'Off: this account signs in with the password alone. Two-step sign-in is not required on this proxy (admin.require_mfa = false, as in the demo).'}
          </Notice>
          <p>
            <a href="/login/enrol?next=%2Fsettings%23two-step">Set up two-step sign-in</a>
          </p>
        </>
      )}
    </section>

    <section class="card" id="sessions" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Where you are signed in</h2>
      <Said notice={notice} section="sessions" />
      <table>
        <thead>
          <tr>
            <th scope="col">Browser</th>
            <th scope="col">Address</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last seen</th>
            <th scope="col">
              <span class="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {account.sessions.map((session) => (
            <tr>
              <td>{session.browser}</td>
              <td class="mono">{session.address}</td>
              <td>
                <Ago at={session.startedAt} now={now} />
              </td>
              <td>
                <Ago at={session.lastSeenAt} now={now} />
              </td>
              <td>
                {session.current ? (
                  'this browser'
                ) : (
                  <form method="post" action="/settings/account/sessions/end">
                    <CsrfField token={signedIn.csrfToken} />
                    <input type="hidden" name="session" value={session.idHash} />
                    <button type="submit">
                      End<span class="visually-hidden">{` the session of ${session.browser} at ${session.address}`}</span>
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  </>
);

/** Everyone who can sign in, and the forms to add, reset and remove them. */
export const AdministratorsSection: FC<{ signedIn: SignedIn; now: Date; administrators: readonly AdministratorSummary[]; notice: SectionNotice | undefined }> = ({ signedIn, now, administrators, notice }) => (
  <section class="card" id="administrators" aria-labelledby="administrators-heading">
    <h2 id="administrators-heading">Administrators</h2>
    <Said notice={notice} section="administrators" />
    <p class="help">
      The same as <span class="mono">xero-proxy admin list | add | remove | reset-password</span> on the server. Every change is in the <a href="/settings/audit">audit log</a>.
    </p>
    <table>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Two-step sign-in</th>
          <th scope="col">Last sign-in</th>
          <th scope="col">Browsers signed in</th>
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {administrators.map((admin) => (
          <tr>
            <th scope="row">{admin.name}</th>
            <td>{admin.mfaEnrolled ? `on (${admin.recoveryCodesLeft} recovery codes left)` : 'not set up'}</td>
            <td>
              <Ago at={admin.lastSignInAt} now={now} />
            </td>
            <td>{admin.sessions}</td>
            <td class="mp-row-actions">
              {admin.mfaEnrolled ? (
                <form method="post" action="/settings/administrators/reset-mfa">
                  <CsrfField token={signedIn.csrfToken} />
                  <input type="hidden" name="name" value={admin.name} />
                  <button type="submit">
                    Reset two-step sign-in<span class="visually-hidden">{` of ${admin.name}`}</span>
                  </button>
                </form>
              ) : null}
              {administrators.length > 1 ? (
                <form method="post" action="/settings/administrators/remove">
                  <CsrfField token={signedIn.csrfToken} />
                  <input type="hidden" name="name" value={admin.name} />
                  <button type="submit" class="danger">
                    Remove<span class="visually-hidden">{` ${admin.name}`}</span>
                  </button>
                </form>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>

    <h3>Add an administrator</h3>
    <form method="post" action="/settings/administrators/add">
      <CsrfField token={signedIn.csrfToken} />
      <div class="field">
        <label for="add-name">Name</label>
        <input type="text" id="add-name" name="name" autocomplete="off" autocapitalize="none" spellcheck={false} required aria-describedby="add-name-help" />
        <p class="help" id="add-name-help">
          Letters, digits or . _ @ -, such as alice or front.desk.
        </p>
      </div>
      <div class="field">
        <label for="add-password">Password</label>
        <input type="password" id="add-password" name="password" autocomplete="new-password" minlength={12} required aria-describedby="add-password-help" />
        <p class="help" id="add-password-help">
          At least 12 characters; tell it to them in person. They set up two-step sign-in at their first sign-in.
        </p>
      </div>
      <button type="submit">Add administrator</button>
    </form>

    <h3>Reset a password</h3>
    <form method="post" action="/settings/administrators/reset-password">
      <CsrfField token={signedIn.csrfToken} />
      <div class="field">
        <label for="reset-name">Administrator</label>
        <select id="reset-name" name="name" required>
          {administrators.map((admin) => (
            <option value={admin.name}>{admin.name}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="reset-password">New password</label>
        <input type="password" id="reset-password" name="password" autocomplete="new-password" minlength={12} required />
      </div>
      <div class="field check">
        <input type="checkbox" id="reset-mfa" name="resetMfa" value="yes" />
        <label for="reset-mfa">Also reset their two-step sign-in (a lost phone)</label>
      </div>
      <p class="help">Their browsers are signed out.</p>
      <button type="submit">Reset password</button>
    </form>
  </section>
);
