/** A request ready to send: every header it needs, already signed. Build functions return these. */
export interface XeroRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  /** Text (XML, a form), or the raw bytes of a file (an attachment). */
  body?: string | Uint8Array;
}

/** What came back, read in full: header names are lower-case. Process functions take these. */
export interface XeroResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A response header by name, case-insensitively, so hand-made test responses work too. */
export function headerValue(response: Pick<XeroResponse, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(response.headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
