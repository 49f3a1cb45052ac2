import { Type, type SchemaOptions, type TSchema } from '@sinclair/typebox';

/**
 * Field schemas shared by the documents apps send. Each limit is Xero's own (its XSDs and API
 * documentation) unless a comment says why the proxy is stricter.
 */

/** Most documents one request may carry; Xero suggests about 50 per call, so the queue splits. */
export const MAX_BATCH = 500;

/** A calendar date, optionally with a time of day, as Xero's XML dates are written. */
export const DATE_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])(T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d)?$';
/** A moment: a date and a time, with optional fractions and an optional offset. */
export const DATE_TIME_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?(Z|[+-]([01]\\d|2[0-3]):?[0-5]\\d)?$';
/** A Xero id (a GUID). */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** An ISO 4217 currency code. */
export const CURRENCY_PATTERN = '^[A-Z]{3}$';
// Printable ASCII without spaces, quotes or backslashes: ids end up inside Xero `where` filters
// (`Reference=="…"`) and log lines, where those characters would need escaping.
export const ID_PATTERN = '^[!#-\\[\\]-~]+$';
/** An e-mail address as Xero takes one (no spaces, one @, a dot in the domain; no quotes, for `where` filters). */
export const EMAIL_PATTERN = '^[^@\\s"\\\\]+@[^@\\s"\\\\]+\\.[^@\\s"\\\\]+$';

/** How each pattern is explained when a value does not match it. */
export const PATTERN_MESSAGES: Record<string, string> = {
  [DATE_PATTERN]: 'must be a date as YYYY-MM-DD or YYYY-MM-DDThh:mm:ss',
  [DATE_TIME_PATTERN]: 'must be a date and time as YYYY-MM-DDThh:mm:ss, optionally with Z or an offset such as +10:00',
  [UUID_PATTERN]: 'must be a Xero id such as 0f5a7c3e-2b1d-4e8f-9a6b-1c2d3e4f5a6b',
  [CURRENCY_PATTERN]: 'must be a three-letter currency code such as AUD',
  [ID_PATTERN]: 'must be printable ASCII without spaces, quotes or backslashes',
  [EMAIL_PATTERN]: 'must be an e-mail address such as accounts@example.com',
};

/** The schema keyword (a specification extension) that limits a number's decimal places. */
export const DECIMALS = 'x-decimal-places';

/** Text of 1 to `max` characters. */
export const Text = (max: number, options: SchemaOptions = {}) => Type.String({ minLength: 1, maxLength: max, ...options });

/** A date field: `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ss`. */
export const DateText = (options: SchemaOptions = {}) => Type.String({ pattern: DATE_PATTERN, examples: ['2024-05-31'], ...options });

/** A moment field: date and time, optionally with an offset. */
export const DateTimeText = (options: SchemaOptions = {}) => Type.String({ pattern: DATE_TIME_PATTERN, examples: ['2024-05-31T22:15:00+10:00'], ...options });

/** A Xero id field. */
export const Uuid = (options: SchemaOptions = {}) => Type.String({ pattern: UUID_PATTERN, ...options });

/** A currency code field. */
export const CurrencyCode = (options: SchemaOptions = {}) => Type.String({ pattern: CURRENCY_PATTERN, description: 'ISO 4217 code; the organisation must be subscribed to it.', ...options });

/** The app's own id for a document, which the proxy uses to recognise a resend. */
export const DocumentId = (description: string) => Type.String({ minLength: 1, maxLength: 100, pattern: ID_PATTERN, description });

// Bounded so every amount prints as a plain decimal (String(1e21) is "1e+21") and fits Xero's
// decimal columns.
const LIMIT = 1e11;

/** An amount of money: at most 2 decimal places, as Xero's `itemPrice`. */
export const Money = (options: SchemaOptions = {}) => Type.Number({ minimum: -LIMIT, maximum: LIMIT, [DECIMALS]: 2, ...options });

/** A number of at most `places` decimal places between `minimum` and `maximum`. */
export const Decimal = (places: number, minimum: number, maximum: number, options: SchemaOptions = {}) => Type.Number({ minimum, maximum, [DECIMALS]: places, ...options });

/** An enumeration of exact strings (JSON Schema `anyOf` of `const`s). */
export const OneOf = <T extends string>(values: readonly T[], options: SchemaOptions = {}) => Type.Union(values.map((value) => Type.Literal(value)), options);

/** A list that XML writes as a wrapper element holding one `itemName` element per entry. */
export const XmlList = <T extends TSchema>(itemName: string, item: T, options: SchemaOptions = {}) =>
  Type.Array({ ...item, xml: { name: itemName } } as T, { xml: { wrapped: true }, ...options });

/** An object that refuses fields it does not define (typo protection). */
export const Strict = <T extends Parameters<typeof Type.Object>[0]>(properties: T, options: SchemaOptions = {}) =>
  Type.Object(properties, { additionalProperties: false, ...options });
