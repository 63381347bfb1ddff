// The HTTP server around an engine: JSON only, errors from the catalogue.
import express, { type Express } from 'express';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Engine } from '../engine.js';
import { bearerAuth } from './auth.js';
import { errorHandler, notFound } from './errors.js';
import { engineLog, engineRegistry } from './observed.js';
import { opsRoutes, statusRegistry } from './opsRoutes.js';
import { createRouter, type RouterOptions } from './router.js';

export { BODY_LIMIT } from './router.js';

/** `memdedup serve`'s options: the router's. */
export type HttpOptions = RouterOptions;

/**
 * The standalone server: /healthz, /readyz and /metrics at the root, createRouter under /api/memory.
 * Also what the tests run, so they exercise the router a host mounts.
 */
export function createApp(engine: Engine, o: HttpOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  // Answers are small and mostly unique: hashing each one for an ETag costs more than it saves.
  app.set('etag', false);
  app.set('query parser', 'simple');
  const registry = o.registry ?? engineRegistry(engine) ?? statusRegistry(engine);
  const log = o.log ?? engineLog(engine);
  if (o.token && o.protectOps) app.use(['/metrics', '/healthz', '/readyz'], bearerAuth(o.token));
  app.use(opsRoutes(engine, registry));
  app.use('/api/memory', createRouter(engine, { ...o, registry, log }));
  // Outside the router (e.g. /api/other): the same token rule as before, then the catalogue's 404.
  if (o.token) app.use('/api', bearerAuth(o.token));
  app.use(notFound);
  app.use(errorHandler((err) => log({ level: 'error', msg: 'internal error', error: err instanceof Error ? err.message : String(err) })));
  return app;
}

/** Requests node's parser refuses (bad request line, bad header bytes) get a JSON 400 too, then the socket closes. */
function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) { socket.destroy(); return; }
  const tooBig = err.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify({ error: { code: 'INVALID_INPUT', message: tooBig ? 'request headers are too large' : 'malformed HTTP request', details: [{ field: 'request', problem: String(err.code ?? 'malformed') }] } });
  socket.end(`HTTP/1.1 ${tooBig ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export interface RunningServer { server: Server; url: string; close(): Promise<void> }

export function listen(app: Express, host: string, port: number): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.on('clientError', answerClientError);
    server.once('error', reject);
    server.once('listening', () => {
      const addr = server.address();
      const url = typeof addr === 'object' && addr ? `http://${host}:${addr.port}` : `http://${host}:${port}`;
      resolve({
        server, url,
        close: () => new Promise<void>((r) => { server.close(() => r()); server.closeIdleConnections?.(); }),
      });
    });
  });
}
