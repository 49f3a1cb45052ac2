/**
 * The OpenAPI document turned into a reference a person reads: every operation with its
 * parameters, the fields of its body (flattened to paths such as `Invoices[].LineItems[].AccountCode`),
 * its examples and its answers with the error codes. Pure: the docs page renders it once.
 */
export interface ReferenceField {
  path: string;
  type: string;
  required: boolean;
  description: string;
}

export interface ReferenceOperation {
  /** An anchor for links: `post-invoices`. */
  anchor: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  tag: string;
  /** Whether the device key is needed. */
  keyed: boolean;
  parameters: Array<{ name: string; where: string; type: string; required: boolean; description: string }>;
  body: { schema: string; fields: ReferenceField[]; json: string | null; xml: string | null } | null;
  responses: Array<{ status: string; description: string; schema: string | null }>;
}

export interface ApiReference {
  title: string;
  version: string;
  description: string;
  base: string;
  operations: ReferenceOperation[];
  /** Every component schema with its fields, for the answers. */
  schemas: Array<{ name: string; description: string; fields: ReferenceField[] }>;
  /** The stable error codes with what each means, from the Error schema. */
  errorCodes: string;
}

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const MAX_DEPTH = 6;

const refName = (schema: Json | undefined) => (typeof schema?.['$ref'] === 'string' ? (schema['$ref'] as string).split('/').pop()! : null);

/** Builds the reference from an OpenAPI 3.1 document as `openApiDocument` makes it. */
export function apiReference(document: Json): ApiReference {
  const components = (document['components'] ?? {}) as Json;
  const schemas = (components['schemas'] ?? {}) as Record<string, Json>;
  const responses = (components['responses'] ?? {}) as Record<string, Json>;
  const info = document['info'] as Json;
  const operations: ReferenceOperation[] = [];
  for (const [path, item] of Object.entries(document['paths'] as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const content = ((op['requestBody'] as Json | undefined)?.['content'] ?? {}) as Record<string, Json>;
      const json = content['application/json'];
      const bodySchema = json?.['schema'] as Json | undefined;
      const name = refName(bodySchema);
      const resolved = name ? schemas[name] : bodySchema;
      operations.push({
        anchor: `${method}-${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`,
        method: method.toUpperCase(),
        path,
        summary: String(op['summary'] ?? ''),
        description: String(op['description'] ?? ''),
        tag: ((op['tags'] as string[] | undefined) ?? ['other'])[0]!,
        keyed: !(Array.isArray(op['security']) && (op['security'] as unknown[]).length === 0),
        parameters: ((op['parameters'] as Json[] | undefined) ?? []).map((p) => ({
          name: String(p['name']),
          where: String(p['in']),
          type: typeOf(p['schema'] as Json | undefined),
          required: p['required'] === true,
          description: String(p['description'] ?? ''),
        })),
        body: resolved
          ? {
              schema: name ?? 'body',
              fields: fieldsOf(resolved, '', schemas, 0),
              json: json?.['example'] === undefined ? null : JSON.stringify(json['example'], null, 2),
              xml: typeof content['application/xml']?.['example'] === 'string' ? (content['application/xml']!['example'] as string) : null,
            }
          : null,
        responses: Object.entries((op['responses'] ?? {}) as Record<string, Json>).map(([status, answer]) => {
          const shared = refName(answer) ? responses[refName(answer)!] : answer;
          const schema = refName((((shared?.['content'] ?? {}) as Record<string, Json>)['application/json']?.['schema']) as Json | undefined);
          return { status, description: String(shared?.['description'] ?? ''), schema };
        }),
      });
    }
  }
  const errorCode = (((schemas['Error']?.['properties'] as Json | undefined)?.['error'] as Json | undefined)?.['properties'] as Json | undefined)?.['code'] as Json | undefined;
  return {
    title: String(info['title'] ?? ''),
    version: String(info['version'] ?? ''),
    description: String(info['description'] ?? ''),
    base: String(((document['servers'] as Json[] | undefined)?.[0]?.['url']) ?? '/api/v1'),
    operations,
    schemas: Object.entries(schemas)
      .filter(([name]) => !operations.some((op) => op.body?.schema === name))
      .map(([name, schema]) => ({ name, description: String(schema['description'] ?? ''), fields: fieldsOf(schema, '', schemas, 0) })),
    errorCodes: String(errorCode?.['description'] ?? ''),
  };
}

/** A schema's type in words: `string (1–50 characters)`, `one of ACCREC, ACCPAY`, `array of object`. */
export function typeOf(schema: Json | undefined): string {
  if (!schema) return 'any';
  const name = refName(schema);
  if (name) return name;
  const alternatives = schema['anyOf'] as Json[] | undefined;
  if (alternatives) {
    if (alternatives.every((a) => 'const' in a)) return `one of ${alternatives.map((a) => JSON.stringify(a['const'])).join(', ')}`;
    return alternatives.map(typeOf).join(' or ');
  }
  if ('const' in schema) return `exactly ${JSON.stringify(schema['const'])}`;
  if (Array.isArray(schema['enum'])) return `one of ${(schema['enum'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  const type = Array.isArray(schema['type']) ? (schema['type'] as string[]).join(' or ') : String(schema['type'] ?? 'any');
  if (type === 'array') return `array of ${typeOf(schema['items'] as Json | undefined)}${range(schema, 'minItems', 'maxItems', 'items')}`;
  if (type === 'string') return `string${range(schema, 'minLength', 'maxLength', 'characters')}${schema['pattern'] ? ', pattern ' + String(schema['pattern']) : ''}`;
  if (type === 'number' || type === 'integer') return `${type}${range(schema, 'minimum', 'maximum', '')}`;
  return type;
}

function range(schema: Json, min: string, max: string, unit: string): string {
  const low = schema[min];
  const high = schema[max];
  if (low === undefined && high === undefined) return '';
  const words = low !== undefined && high !== undefined ? `${String(low)}–${String(high)}` : low !== undefined ? `at least ${String(low)}` : `at most ${String(high)}`;
  return ` (${words}${unit ? ' ' + unit : ''})`;
}

function fieldsOf(schema: Json, prefix: string, schemas: Record<string, Json>, depth: number): ReferenceField[] {
  if (depth > MAX_DEPTH) return [];
  const target = refName(schema) && depth > 0 ? undefined : refName(schema) ? schemas[refName(schema)!] : schema;
  if (!target) return [];
  if (target['type'] === 'array' && prefix !== '') return fieldsOf(target['items'] as Json, `${prefix}[]`, schemas, depth + 1);
  const properties = (target['properties'] ?? {}) as Record<string, Json>;
  const required = new Set((target['required'] as string[] | undefined) ?? []);
  const fields: ReferenceField[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const path = prefix === '' ? name : `${prefix}.${name}`;
    fields.push({ path, type: typeOf(property), required: required.has(name), description: String(property['description'] ?? '') });
    const inner = property['type'] === 'array' ? (property['items'] as Json | undefined) : property;
    if (inner && !refName(inner) && (inner['type'] === 'object' || inner['properties'])) {
      fields.push(...fieldsOf(inner, property['type'] === 'array' ? `${path}[]` : path, schemas, depth + 1));
    }
  }
  return fields;
}
