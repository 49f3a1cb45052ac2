/**
 * A problem's `invalidFields` as "field: reason" sentences, or its `detail` alone when it names
 * no field; nothing when the body is not a problem.
 * @see xero-payroll-uk.yaml components.schemas.Problem
 */
export function invalidFieldMessages(body: string): string[] {
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return [];
  }
  if (problem === null || typeof problem !== 'object') return [];
  const fields = Array.isArray(problem['invalidFields']) ? (problem['invalidFields'] as Array<Record<string, unknown>>) : [];
  const messages = fields.filter((field) => field && typeof field['reason'] === 'string').map((field) => (typeof field['name'] === 'string' && field['name'] !== '' ? `${field['name']}: ${String(field['reason'])}` : String(field['reason'])));
  if (messages.length > 0) return messages;
  return typeof problem['detail'] === 'string' && problem['detail'] !== '' ? [problem['detail']] : [];
}
