import type { Child, FC } from 'hono/jsx';
import type { ApiReference, ReferenceField, ReferenceOperation } from '../src/domain/documents/openapi-reference';
import { Layout, type SignedIn } from './layout';

const Fields: FC<{ fields: readonly ReferenceField[]; caption: string }> = ({ fields, caption }) =>
  fields.length === 0 ? null : (
    <table>
      <caption class="help">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Type</th>
          <th scope="col">Required</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((field) => (
          <tr>
            <td class="mono">{field.path}</td>
            <td class="mono settings-detail">{field.type}</td>
            <td class={field.required ? 'docs-required' : undefined}>{field.required ? 'Yes' : 'No'}</td>
            <td>{field.description}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

const Operation: FC<{ op: ReferenceOperation }> = ({ op }) => (
  <section class="docs-op" id={op.anchor} aria-labelledby={`${op.anchor}-h`}>
    <h3 id={`${op.anchor}-h`}>
      <span class="docs-method">{op.method}</span> <span class="mono">{op.path}</span>
    </h3>
    <p>
      <strong>{op.summary}</strong>
      {op.keyed ? ' Needs the device key (Authorization: Bearer xpk_…).' : ' No key needed.'}
    </p>
    {op.description ? <p>{op.description}</p> : null}
    {op.parameters.length > 0 ? (
      <table>
        <caption class="help">Parameters</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">In</th>
            <th scope="col">Type</th>
            <th scope="col">Required</th>
            <th scope="col">Description</th>
          </tr>
        </thead>
        <tbody>
          {op.parameters.map((p) => (
            <tr>
              <td class="mono">{p.name}</td>
              <td>{p.where}</td>
              <td class="mono settings-detail">{p.type}</td>
              <td>{p.required ? 'Yes' : 'No'}</td>
              <td>{p.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    ) : null}
    {op.body ? (
      <>
        <h4>Request body: {op.body.schema}</h4>
        <Fields fields={op.body.fields} caption={`Fields of ${op.body.schema}`} />
        {op.body.json ? (
          <>
            <h5>Example (JSON)</h5>
            <pre class="docs-example" tabindex={0} aria-label={`JSON example for ${op.method} ${op.path}`}>
              {op.body.json}
            </pre>
          </>
        ) : null}
        {op.body.xml ? (
          <>
            <h5>Example (XML)</h5>
            <pre class="docs-example" tabindex={0} aria-label={`XML example for ${op.method} ${op.path}`}>
              {op.body.xml}
            </pre>
          </>
        ) : null}
      </>
    ) : null}
    <table>
      <caption class="help">Answers</caption>
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col">Meaning</th>
          <th scope="col">Body</th>
        </tr>
      </thead>
      <tbody>
        {op.responses.map((r) => (
          <tr>
            <td class="mono">{r.status}</td>
            <td>{r.description}</td>
            <td>{r.schema ? <a href={`#schema-${r.schema}`}>{r.schema}</a> : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </section>
);

/** The reference itself, without the page frame: rendered once and cached by the route. */
export const ApiReferenceBody: FC<{ reference: ApiReference }> = ({ reference }) => (
  <>
    <section class="card">
      <h1>{reference.title}</h1>
      <p class="help">
        Version {reference.version}. Every path below is under <span class="mono">{reference.base}</span>. The same description, as OpenAPI 3.1, is at{' '}
        <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
      </p>
      <p>{reference.description}</p>
      <h2>Errors</h2>
      <p>
        Every error answer is <span class="mono">{'{"error":{"code","message","field"?,"hint"?,"details"?}}'}</span> (XML: <span class="mono">{'<Error><error>…'}</span>), with a stable code:{' '}
        {reference.errorCodes} A wrong method on a known path answers 405 <span class="mono">method_not_allowed</span> with an <span class="mono">Allow</span> header; a body over the endpoint's limit 413{' '}
        <span class="mono">too_large</span>.
      </p>
      <h2>Endpoints</h2>
      <ul class="docs-toc">
        {reference.operations.map((op) => (
          <li>
            <a href={`#${op.anchor}`}>
              <span class="mono">
                {op.method} {op.path}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
    <section class="card" aria-labelledby="operations-h">
      <h2 id="operations-h">Endpoints in detail</h2>
      {reference.operations.map((op) => (
        <Operation op={op} />
      ))}
    </section>
    <section class="card" aria-labelledby="schemas-h">
      <h2 id="schemas-h">Answers' fields</h2>
      {reference.schemas.map((schema) => (
        <section class="docs-op" id={`schema-${schema.name}`} aria-labelledby={`schema-${schema.name}-h`}>
          <h3 id={`schema-${schema.name}-h`}>{schema.name}</h3>
          {schema.description ? <p>{schema.description}</p> : null}
          <Fields fields={schema.fields} caption={`Fields of ${schema.name}`} />
        </section>
      ))}
    </section>
  </>
);

/** The docs page: the cached reference in the page frame (with the console's navigation when signed in). */
export const DocsPage: FC<{ signedIn: SignedIn | undefined; title: string; body: Child }> = ({ signedIn, title, body }) => (
  <Layout title={`${title}`} signedIn={signedIn} current="/docs">
    {body}
  </Layout>
);
