import { request } from 'node:http';

/** What `fetchFrom` sends: the part of fetch's options these tests use. */
export interface SimpleInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Like fetch (and never following redirects), but the connection leaves from `localAddress`, e.g.
 * 127.0.0.2 to 127.0.0.13: the proxy reads the socket's address (src/server/source-address.ts),
 * so each is another client to its per-address limits. Plain http only.
 * @example const answer = await fetchFrom('127.0.0.7', `${proxy.url}/api/v1/pair`, { method: 'POST', … });
 */
export function fetchFrom(localAddress: string, url: string | URL, init: SimpleInit = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const body = init.body === undefined ? undefined : Buffer.from(init.body);
    const headers = { ...init.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
    const req = request({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: init.method ?? 'GET', headers, localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const answer = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) answer.append(name, one);
        }
        const bytes = Buffer.concat(chunks);
        resolve(new Response(bytes.length > 0 ? bytes : null, { status: res.statusCode ?? 0, headers: answer }));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
