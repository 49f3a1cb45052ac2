import { createAdaptorServer } from '@hono/node-server';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { AppError } from '../lib/errors';
import type { Listen } from '../config/types';

/** A listening HTTP or HTTPS server with a graceful stop. */
export interface RunningServer {
  /** e.g. https://127.0.0.1:8080 (the real port when 0 was asked for). */
  url: string;
  port: number;
  /** The address actually bound, e.g. `0.0.0.0:8080` or `[::1]:8080`. */
  bound: string;
  /** The listening socket, in front of the HTTP (and HTTPS) servers it hands connections to. */
  server: Server;
  /** Presents another certificate to new connections (a renewal), without a restart; HTTPS only. */
  setTls(tls: TlsCertificate): void;
  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then cuts the rest. */
  close(graceMs?: number): Promise<void>;
}

type FetchHandler = (request: Request, env: Record<string, unknown>) => Response | Promise<Response>;

/** How long clients may take, and how many connections they may hold. */
export interface ConnectionLimits {
  headersTimeoutSeconds: number;
  /** To receive a whole request; the time spent answering it (e.g. `?wait=`) does not count. */
  requestTimeoutSeconds: number;
  idleTimeoutSeconds: number;
  maxConnectionsPerAddress: number;
  /** Every address together. */
  maxConnections: number;
}

/** For servers with no configuration of their own (the sandbox): Node's defaults, made tighter. */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutSeconds: 10,
  requestTimeoutSeconds: 30,
  idleTimeoutSeconds: 5,
  maxConnectionsPerAddress: 100,
  maxConnections: 1000,
};

/** A private key and the certificate chain to present (PEM, the server's certificate first). */
export interface TlsCertificate {
  key: string;
  cert: string;
}

/** HTTPS on the port: the certificate, and what a request in plain HTTP on the same port gets. */
export interface TlsServing extends TlsCertificate {
  plain: FetchHandler;
}

/** The first byte of every TLS connection: a handshake record (RFC 8446 §5.1). */
const TLS_HANDSHAKE = 0x16;

/**
 * Serves a Hono `fetch` on `listen`; port 0 picks a free port. With `tls`, the port speaks
 * HTTPS (TLS 1.2 or newer) and, on the same port, answers plain HTTP with `tls.plain`: a
 * person who types http://host:port is redirected rather than left with a broken page. Each
 * connection's first byte tells the two apart.
 */
export function startServer(fetch: FetchHandler, listen: Listen, limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS, tls?: TlsServing): Promise<RunningServer> {
  const httpOptions = {
    headersTimeout: limits.headersTimeoutSeconds * 1000,
    requestTimeout: limits.requestTimeoutSeconds * 1000,
    keepAliveTimeout: limits.idleTimeoutSeconds * 1000,
    // Node looks for requests past their timeout every 30 s by default, which would let a body
    // trickled a byte at a time outlive a short request timeout by that much.
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutSeconds * 1000),
  };
  const secure = tls && { key: tls.key, cert: tls.cert, minVersion: 'TLSv1.2' as const };
  const main = createAdaptorServer({
    fetch: fetch as never,
    hostname: listen.host,
    ...(secure ? { createServer: createHttpsServer, serverOptions: { ...httpOptions, ...secure, handshakeTimeout: httpOptions.headersTimeout } } : { serverOptions: httpOptions }),
  }) as HttpServer | HttpsServer;
  const plain = tls ? (createAdaptorServer({ fetch: tls.plain as never, hostname: listen.host, serverOptions: httpOptions }) as HttpServer) : undefined;
  const inner = plain ? [main, plain] : [main];

  // Idle keep-alive sockets must not hold a graceful shutdown open; in-flight ones are waited for.
  const sockets = new Set<Socket>();
  const perAddress = new Map<string, number>();
  const front = createNetServer((socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const held = perAddress.get(address) ?? 0;
    if (held >= limits.maxConnectionsPerAddress) {
      socket.destroy();
      return;
    }
    perAddress.set(address, held + 1);
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
    if (!plain) main.emit('connection', socket);
    else handOver(socket, main, plain, httpOptions.headersTimeout);
  });
  front.maxConnections = limits.maxConnections;
  return new Promise((resolve, reject) => {
    front.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new AppError('unavailable', `Cannot listen on ${listen.host}:${listen.port}: ${error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message}.`, {
          hint: 'Choose another port in the config file, or stop the program using it.',
          cause: error,
        }),
      );
    });
    front.listen(listen.port, listen.host, () => {
      // Node starts a server's request-timeout checks when it listens; these never listen
      // themselves (the front socket does), so they are told.
      for (const server of inner) server.emit('listening');
      const address = front.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `${tls ? 'https' : 'http'}://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`,
        port: address.port,
        bound: `${host}:${address.port}`,
        server: front,
        setTls: (next) => {
          if (!tls) throw new AppError('internal', 'This server has no HTTPS to renew.');
          (main as HttpsServer).setSecureContext({ key: next.key, cert: next.cert, minVersion: 'TLSv1.2' });
        },
        close: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => {
              for (const socket of sockets) socket.destroy();
            }, graceMs);
            timer.unref();
            front.close(() => {
              clearTimeout(timer);
              done();
            });
            // Stops their timeout checks and closes their idle connections; in-flight ones finish.
            for (const server of inner) server.close();
          }),
      });
    });
  });
}

/**
 * Waits for a connection's first byte, then gives the connection to the HTTPS server (a TLS
 * handshake) or the plain HTTP one (anything else), with that byte put back. A connection that
 * sends nothing is closed at the headers timeout.
 */
function handOver(socket: Socket, secure: HttpServer | HttpsServer, plain: HttpServer, timeoutMs: number): void {
  socket.setTimeout(timeoutMs, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.once('data', (chunk: Buffer) => {
    socket.setTimeout(0);
    socket.pause();
    socket.unshift(chunk);
    (chunk[0] === TLS_HANDSHAKE ? secure : plain).emit('connection', socket);
    process.nextTick(() => socket.resume());
  });
}
