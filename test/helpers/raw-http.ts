import { request } from 'node:http';

/** An answer read whole; `reset` when the connection ended before one arrived. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One HTTP request with node:http, which (unlike fetch) sends a body with any method, streams a
 * body of any size from one reused chunk, and reads the answer while the body is still going.
 */
export function rawRequest(
  base: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer; repeat?: { chunk: Buffer; times: number }; chunked?: boolean },
): Promise<RawAnswer> {
  const url = new URL(options.path, base);
  const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
  const length = body?.length ?? (options.repeat ? options.repeat.chunk.length * options.repeat.times : 0);
  const headers: Record<string, string> = { ...options.headers };
  if ((body || options.repeat) && !options.chunked) headers['content-length'] = String(length);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request({ host: url.hostname, port: url.port, method: options.method, path: url.pathname + url.search, headers }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may close the connection after answering while the rest of a large body is still
    // on its way; the answer already read is what counts.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (options.repeat) {
      const { chunk, times } = options.repeat;
      let sent = 0;
      const pump = () => {
        while (sent < times && !answered && !req.destroyed) {
          sent++;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    } else req.end(body);
  });
}
