import type { TSchema } from '@sinclair/typebox';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import { PATTERN_MESSAGES } from './fields';
import { MAX_ISSUES, type Issue, type Path } from './issues';

/**
 * The schema's complaints about `value`, as issues with readable paths and messages. TypeBox's
 * interpreting validator is used (`Value.Errors`), never its compiler, which builds code with
 * `new Function` and has no place in a single bundled executable. Stops after enough issues.
 */
export function schemaIssues(schema: TSchema, value: unknown, format: 'json' | 'xml'): Issue[] {
  // Most documents are valid: checking costs a fraction of walking every error, so the walk is
  // only for those that fail.
  if (Value.Check(schema, value)) return [];
  const issues: Issue[] = [];
  for (const error of Value.Errors(schema, value)) {
    // A missing field is also "not a string" to TypeBox; "is required" says it.
    if (error.value === undefined && error.type !== ValueErrorType.ObjectRequiredProperty) continue;
    const path = pathOf(error.path, value);
    issues.push({ path, message: messageOf(error, format, String(path[path.length - 1] ?? '')) });
    if (issues.length > MAX_ISSUES) break;
  }
  return issues;
}

/** A JSON Pointer from TypeBox as a path, with list indexes as numbers (read off the value). */
function pathOf(pointer: string, root: unknown): Path {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const index = Array.isArray(current) ? Number(segment) : undefined;
    path.push(index ?? segment);
    current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[index ?? segment] : undefined;
  }
  return path;
}

function messageOf(error: ValueError, format: 'json' | 'xml', name: string): string {
  const schema = error.schema as Record<string, unknown>;
  const names = () => Object.keys((schema['properties'] ?? {}) as object);
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty: return 'is required';
    case ValueErrorType.ObjectAdditionalProperties: return unknownField(name, names());
    case ValueErrorType.ObjectMinProperties: return `must give ${schema['maxProperties'] === 1 ? 'one' : 'at least one'} of ${list(names())}`;
    case ValueErrorType.ObjectMaxProperties: return `must give only one of ${list(names())}`;
    case ValueErrorType.Object: return format === 'xml' ? 'must hold elements, not text' : 'must be an object';
    case ValueErrorType.Array: return format === 'xml' ? 'must hold a list of elements, not text' : 'must be a list';
    case ValueErrorType.ArrayMinItems: return `must have at least ${plural(schema['minItems'] as number, 'entry', 'entries')}`;
    case ValueErrorType.ArrayMaxItems: return `must have at most ${plural(schema['maxItems'] as number, 'entry', 'entries')}`;
    case ValueErrorType.Number:
    case ValueErrorType.Integer: return 'must be a number';
    case ValueErrorType.NumberMinimum: return `must be at least ${schema['minimum']}`;
    case ValueErrorType.NumberExclusiveMinimum: return `must be more than ${schema['exclusiveMinimum']}`;
    case ValueErrorType.NumberMaximum: return `must be at most ${schema['maximum']}`;
    case ValueErrorType.Boolean: return 'must be true or false';
    case ValueErrorType.String: return 'must be text';
    case ValueErrorType.StringMinLength: return schema['minLength'] === 1 ? 'must not be empty' : `must be at least ${schema['minLength']} characters long`;
    case ValueErrorType.StringMaxLength: return `must be at most ${schema['maxLength']} characters long`;
    case ValueErrorType.StringPattern: return PATTERN_MESSAGES[schema['pattern'] as string] ?? `must match ${schema['pattern']}`;
    case ValueErrorType.Union: {
      const values = constants(schema);
      return values.length === 2 ? `must be ${values[0]} or ${values[1]}` : `must be one of ${list(values)}`;
    }
    default: return error.message.replace(/^Expected/, 'must be').toLowerCase();
  }
}

/** "is not a known field", with the field meant when it looks like a slip of the keyboard. */
function unknownField(name: string, known: string[]): string {
  const meant = known.find((candidate) => candidate.toLowerCase() === name.toLowerCase()) ?? known.find((candidate) => distance(candidate.toLowerCase(), name.toLowerCase()) <= 2 && name.length > 3);
  return meant ? `is not a known field (did you mean ${meant}?)` : `is not a known field (known: ${known.join(', ')})`;
}

function constants(schema: Record<string, unknown>): string[] {
  return ((schema['anyOf'] ?? []) as Array<{ const?: unknown }>).map((option) => String(option.const));
}

function list(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Levenshtein distance, for names of a few dozen characters at most. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || a.length > 64 || b.length > 64) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}
