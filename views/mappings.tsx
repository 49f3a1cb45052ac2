import type { FC } from 'hono/jsx';
import { utcText } from './time';
import type { Choice, MappingsOverview, PickList } from '../src/services/mappings-overview';
import { CsrfField, Layout, Notice, type SignedIn } from './layout';

/** A refused save, shown beside its field in the form it came from, with what was entered. */
export interface MappingFormError {
  form: string;
  /** `name`, `account`, `tax`, `employee` or `rate`; otherwise shown at the top of the form. */
  field?: string;
  message: string;
  posted: Record<string, string>;
}

export interface MappingsPageProps {
  signedIn: SignedIn;
  overview: MappingsOverview;
  /** What the last action did, as a sentence. */
  notice?: string;
  error?: MappingFormError;
  /** A mapping to change: its form is filled in with the current target. */
  edit?: { kind: string; name: string };
}

type FieldKind = 'account' | 'paymentAccount' | 'tax' | 'employee' | 'rate';

interface KindInfo {
  kind: string;
  title: string;
  /** How one is named in a sentence: `sales category`. */
  one: string;
  help: string;
  fields: readonly FieldKind[];
}

const NAMED: readonly KindInfo[] = [
  { kind: 'category', title: 'Sales categories', one: 'sales category', help: "Where each of the till's sales categories is booked: an income account and its tax rate.", fields: ['account', 'tax'] },
  { kind: 'tender', title: 'Tenders', one: 'tender', help: 'The account each way of paying goes into: a bank account, the cash drawer, or a clearing account that takes payments.', fields: ['paymentAccount'] },
  { kind: 'payer', title: 'Third-party payers', one: 'payer', help: 'The clearing account each third-party payer (Medicare, DVA, an insurer, a health fund) pays into, so a day of its payments matches its one bank settlement.', fields: ['paymentAccount'] },
  { kind: 'staff', title: 'Staff numbers', one: 'staff number', help: "The Xero Payroll employee each of the payroll app's staff numbers is.", fields: ['employee'] },
  { kind: 'earnings', title: 'Earnings types', one: 'earnings type', help: "The Xero Payroll earnings rate each of the app's earnings types is paid at.", fields: ['rate'] },
];

const SETTINGS: readonly KindInfo[] = [
  { kind: 'rounding', title: 'Rounding', one: 'rounding account', help: 'The account for cash rounding on a shift.', fields: ['account'] },
  { kind: 'discrepancy', title: 'Till over or short', one: 'till discrepancy account', help: 'The account for the difference when the till is over or short.', fields: ['account'] },
  { kind: 'fees', title: 'Fees', one: 'fees account', help: 'The account for fees on a shift that name no account of their own.', fields: ['account'] },
  { kind: 'no-tax', title: 'Tax rate without tax', one: 'tax rate without tax', help: 'The tax rate for rounding and till differences, which carry no tax (BAS Excluded in Australia, No GST in New Zealand).', fields: ['tax'] },
  { kind: 'suspense', title: 'Cash-back and paid-out suspense', one: 'suspense account', help: 'Where a tender that paid money out on a sales day (cash-back), or took money in on a refund day, is booked, since Xero takes no negative payments. Clear it with a Spend or Receive Money entry.', fields: ['account'] },
  { kind: 'tips', title: 'Tips', one: 'tips account', help: 'The account (usually a liability) for tips customers paid through the till, owed to staff.', fields: ['account'] },
  { kind: 'gift-cards', title: 'Gift cards sold', one: 'gift card account', help: 'The liability account gift cards sold at the till are booked to.', fields: ['account'] },
  { kind: 'gift-card-redemptions', title: 'Gift cards redeemed', one: 'gift card redemption account', help: 'The account gift cards customers paid with are taken from (usually the same liability account as gift cards sold).', fields: ['account'] },
  { kind: 'wages', title: 'Wages', one: 'wages account', help: "The expense account for wage bills' lines that name no account.", fields: ['account'] },
];

const KINDS = [...NAMED, ...SETTINGS];
const infoOf = (kind: string): KindInfo => KINDS.find((info) => info.kind === kind)!;

const FIELDS: Record<FieldKind, { name: string; label: string; target: string; list: (lists: MappingsOverview['lists']) => PickList }> = {
  account: { name: 'account', label: 'Account', target: 'accountCode', list: (lists) => lists.accounts },
  paymentAccount: { name: 'account', label: 'Account (one that takes payments)', target: 'accountCode', list: (lists) => lists.paymentAccounts },
  tax: { name: 'tax', label: 'Tax rate', target: 'taxType', list: (lists) => lists.taxRates },
  employee: { name: 'employee', label: 'Employee', target: 'employeeId', list: (lists) => lists.employees },
  rate: { name: 'rate', label: 'Earnings rate', target: 'earningsRateId', list: (lists) => lists.earningsRates },
};

const an = (word: string) => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What a target reads as: "200 Sales", "GST on Income (OUTPUT)", "Mia Nguyen". */
function targetText(target: Record<string, string>, lists: MappingsOverview['lists']): string {
  const labelOf = (list: PickList, value: string) => list.choices.find((choice) => choice.value === value)?.label ?? value;
  const parts: string[] = [];
  if (target['accountCode']) parts.push(labelOf(lists.accounts, target['accountCode']));
  if (target['taxType']) parts.push(labelOf(lists.taxRates, target['taxType']));
  if (target['employeeId']) parts.push(labelOf(lists.employees, target['employeeId']));
  if (target['earningsRateId']) parts.push(labelOf(lists.earningsRates, target['earningsRateId']));
  return parts.join(', ');
}

/** One field: a pick list from Xero, or a text box when the list could not be read. */
const PickField: FC<{ formId: string; field: FieldKind; lists: MappingsOverview['lists']; value: string; error: string | undefined }> = ({ formId, field, lists, value, error }) => {
  const spec = FIELDS[field];
  const list = spec.list(lists);
  const id = `${formId}-${spec.name}`;
  const described = [error ? `${id}-error` : '', list.problem ? `${id}-help` : ''].filter(Boolean).join(' ') || undefined;
  const known = list.choices.some((choice) => choice.value === value);
  const choices: Choice[] = value && !known ? [...list.choices, { value, label: `${value} (not in Xero's active list)` }] : list.choices;
  return (
    <div class={`field${error ? ' mp-invalid' : ''}`}>
      <label for={id}>{spec.label}</label>
      {list.problem ? (
        <p class="help" id={`${id}-help`}>
          {list.problem}
        </p>
      ) : null}
      {error ? (
        <p class="mp-error" id={`${id}-error`}>
          <span class="mp-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      {list.problem && list.choices.length === 0 ? (
        <input type="text" id={id} name={spec.name} value={value} aria-describedby={described} aria-invalid={error ? 'true' : undefined} />
      ) : (
        <select id={id} name={spec.name} aria-describedby={described} aria-invalid={error ? 'true' : undefined}>
          <option value="">Choose…</option>
          {choices.map((choice) => (
            <option value={choice.value} selected={choice.value === value}>
              {choice.label}
            </option>
          ))}
        </select>
      )}
    </div>
  );
};

interface FormProps {
  formId: string;
  info: KindInfo;
  /** A fixed name (a name devices sent, a mapping being changed); otherwise a text box. */
  name?: string;
  nameEditable: boolean;
  values: Record<string, string>;
  error: MappingFormError | undefined;
  button: string;
  overview: MappingsOverview;
  csrf: string;
}

/** A form that saves one mapping, checked against Xero. */
const MappingForm: FC<FormProps> = ({ formId, info, name, nameEditable, values, error, button, overview, csrf }) => {
  const mine = error?.form === formId ? error : undefined;
  const at = (field: string) => (mine?.field === field ? mine.message : undefined);
  const fieldNames = new Set(['name', ...info.fields.map((field) => FIELDS[field].name)]);
  const named = NAMED.includes(info);
  return (
    <form method="post" action="/mappings" id={formId} class="mp-form">
      <CsrfField token={csrf} />
      <input type="hidden" name="organisation" value={overview.organisation!.id} />
      <input type="hidden" name="form" value={formId} />
      <input type="hidden" name="kind" value={info.kind} />
      {mine && (!mine.field || !fieldNames.has(mine.field)) ? (
        <p class="mp-error" id={`${formId}-error`}>
          <span class="mp-hidden">Error: </span>
          {mine.message}
        </p>
      ) : null}
      {named && nameEditable ? (
        <div class={`field${at('name') ? ' mp-invalid' : ''}`}>
          <label for={`${formId}-name`}>{`Name of the ${info.one}, as the app sends it`}</label>
          {at('name') ? (
            <p class="mp-error" id={`${formId}-name-error`}>
              <span class="mp-hidden">Error: </span>
              {at('name')}
            </p>
          ) : null}
          <input type="text" id={`${formId}-name`} name="name" value={values['name'] ?? ''} aria-describedby={at('name') ? `${formId}-name-error` : undefined} aria-invalid={at('name') ? 'true' : undefined} />
        </div>
      ) : named ? (
        <input type="hidden" name="name" value={name ?? ''} />
      ) : null}
      {info.fields.map((field) => (
        <PickField formId={formId} field={field} lists={overview.lists} value={values[FIELDS[field].name] ?? ''} error={at(FIELDS[field].name)} />
      ))}
      <button type="submit" class="primary">
        {button}
      </button>
    </form>
  );
};

/** A mapping's form values from its target, for changing it. */
function valuesOf(target: Record<string, string> | undefined, name?: string): Record<string, string> {
  return {
    ...(name !== undefined ? { name } : {}),
    ...(target?.['accountCode'] ? { account: target['accountCode'] } : {}),
    ...(target?.['taxType'] ? { tax: target['taxType'] } : {}),
    ...(target?.['employeeId'] ? { employee: target['employeeId'] } : {}),
    ...(target?.['earningsRateId'] ? { rate: target['earningsRateId'] } : {}),
  };
}

const RemoveForm: FC<{ organisationId: string; kind: string; name?: string; what: string; csrf: string }> = ({ organisationId, kind, name, what, csrf }) => (
  <form method="post" action="/mappings/remove" class="mp-inline">
    <CsrfField token={csrf} />
    <input type="hidden" name="organisation" value={organisationId} />
    <input type="hidden" name="kind" value={kind} />
    {name !== undefined ? <input type="hidden" name="name" value={name} /> : null}
    <button type="submit" class="danger">
      Remove<span class="mp-hidden">{` ${what}`}</span>
    </button>
  </form>
);

/**
 * `/mappings`: where an organisation's apps' names go in its Xero. The names devices sent that
 * have no mapping come first, each with its form; then every kind with its mappings, a form to
 * add or change one, and Remove.
 */
export const MappingsPage: FC<MappingsPageProps> = ({ signedIn, overview, notice, error, edit }) => {
  const org = overview.organisation;
  const csrf = signedIn.csrfToken;
  const valuesFor = (formId: string, fallback: Record<string, string>) => (error?.form === formId ? error.posted : fallback);
  return (
    <Layout title="Mappings" signedIn={signedIn} current="/mappings">
      {error ? (
        <div class="notice error mp-summary" role="alert" aria-labelledby="mp-summary-title">
          <h2 id="mp-summary-title">Nothing was saved</h2>
          <p>
            <a href={`#${error.form}${error.field ? `-${error.field}` : ''}`}>{error.message}</a>
          </p>
        </div>
      ) : null}
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <section class="card">
        <h1>Mappings{org ? `: ${org.name}` : ''}</h1>
        <p>Mappings say where the names your apps send (sales categories, tenders, staff numbers, earnings types) go in the organisation's Xero. Each is checked against the organisation's Xero when it is saved.</p>
        {overview.organisations.length > 1 ? (
          <form method="get" action="/mappings" class="mp-inline">
            <label for="mp-organisation">Organisation</label>
            <select id="mp-organisation" name="organisation">
              {overview.organisations.map((o) => (
                <option value={o.id} selected={o.id === org?.id}>
                  {o.name}
                </option>
              ))}
            </select>
            <button type="submit">Show its mappings</button>
          </form>
        ) : null}
        {!org ? (
          <p>
            No organisation is linked yet. <a href="/connect">Link a Xero organisation</a> first.
          </p>
        ) : null}
      </section>
      {org && overview.unmapped.length > 0 ? (
        <section class="card mp-waiting" aria-labelledby="mp-unmapped">
          <h2 id="mp-unmapped">{`Names with no mapping yet (${overview.unmapped.length})`}</h2>
          <p>Your devices sent these names, and the documents that use them are waiting here, not refused. Map each one: the waiting documents then go to Xero by themselves.</p>
          {overview.unmapped.map((entry, index) => {
            const info = infoOf(entry.kind);
            const formId = `missing-${index + 1}`;
            const what = entry.name !== undefined ? `${info.one} "${entry.name}"` : `the ${info.one}`;
            return (
              <div class="mp-missing">
                <h3 id={`${formId}-title`}>{what.charAt(0).toUpperCase() + what.slice(1)}</h3>
                <p class="help">
                  {`${plural(entry.documents, 'document waits', 'documents wait')} for it, since `}
                  <time datetime={entry.firstSeenAt}>{utcText(entry.firstSeenAt)}</time>.
                </p>
                <MappingForm
                  formId={formId}
                  info={info}
                  {...(entry.name !== undefined ? { name: entry.name } : {})}
                  nameEditable={false}
                  values={valuesFor(formId, entry.name !== undefined ? { name: entry.name } : {})}
                  error={error}
                  button={`Save mapping for ${entry.name !== undefined ? `"${entry.name}"` : `the ${info.one}`}`}
                  overview={overview}
                  csrf={csrf}
                />
              </div>
            );
          })}
        </section>
      ) : null}
      {org
        ? NAMED.map((info) => {
            const rows = overview.mappings.filter((m) => m.kind === info.kind);
            const formId = `add-${info.kind}`;
            const editing = edit?.kind === info.kind ? rows.find((m) => m.source === edit.name) : undefined;
            return (
              <section class="card" aria-labelledby={`mp-${info.kind}`}>
                <h2 id={`mp-${info.kind}`}>{info.title}</h2>
                <p class="help">{info.help}</p>
                {rows.length === 0 ? (
                  <p>{`No ${info.one} is mapped yet.`}</p>
                ) : (
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col">Goes to</th>
                        <th scope="col">Changed</th>
                        <th scope="col">Actions</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((m) => (
                        <tr>
                          <td>{m.source}</td>
                          <td>{targetText(m.target, overview.lists)}</td>
                          <td>
                            <time datetime={m.updatedAt}>{utcText(m.updatedAt)}</time>
                          </td>
                          <td class="mp-row-actions">
                            <a href={`/mappings?organisation=${encodeURIComponent(org.id)}&edit=${encodeURIComponent(info.kind)}&name=${encodeURIComponent(m.source)}#${formId}`}>
                              Change<span class="mp-hidden">{` ${info.one} "${m.source}"`}</span>
                            </a>
                            <RemoveForm organisationId={org.id} kind={info.kind} name={m.source} what={`${info.one} "${m.source}"`} csrf={csrf} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                <h3>{editing ? `Change ${info.one} "${editing.source}"` : `Add ${an(info.one)}`}</h3>
                <MappingForm
                  formId={formId}
                  info={info}
                  nameEditable={true}
                  values={valuesFor(formId, editing ? valuesOf(editing.target, editing.source) : {})}
                  error={error}
                  button={editing ? `Save ${info.one}` : `Add ${info.one}`}
                  overview={overview}
                  csrf={csrf}
                />
              </section>
            );
          })
        : null}
      {org ? (
        <section class="card" aria-labelledby="mp-settings">
          <h2 id="mp-settings">Accounts for the rest of a shift, and wages</h2>
          {SETTINGS.map((info) => {
            const current = overview.mappings.find((m) => m.kind === 'setting' && m.source === info.kind);
            const formId = `set-${info.kind}`;
            return (
              <div class="mp-setting">
                <h3>{info.title}</h3>
                <p class="help">{info.help}</p>
                <p>
                  {current ? (
                    <>
                      {`Now: ${targetText(current.target, overview.lists)}, changed `}
                      <time datetime={current.updatedAt}>{utcText(current.updatedAt)}</time>.
                    </>
                  ) : (
                    'Not set.'
                  )}
                </p>
                <MappingForm formId={formId} info={info} nameEditable={false} values={valuesFor(formId, valuesOf(current?.target))} error={error} button={`Save ${info.one}`} overview={overview} csrf={csrf} />
                {current ? <RemoveForm organisationId={org.id} kind={info.kind} what={`the ${info.one}`} csrf={csrf} /> : null}
              </div>
            );
          })}
        </section>
      ) : null}
    </Layout>
  );
};
