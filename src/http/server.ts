// The HTTP server around an engine: JSON only, errors from the catalogue.
import express, { type Express } from 'express';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Engine } from '../engine.js';
import { bearerAuth } from './auth.js';
import { errorHandler, notFound, requireJsonBody } from './errors.js';
import { engineLog, engineRegistry } from './observed.js';
import { opsRoutes, statusRegistry, type MetricsSource } from './opsRoutes.js';
import { memoryRoutes } from './routes.js';

export const BODY_LIMIT = '1mb';

export interface HttpOptions {
  /** When set, every /api/ route needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Also require the token on /metrics, /healthz and /readyz. @default false */
  protectOps?: boolean;
  /** Mount the seed's diagnostic endpoints. @default false (`memdedup serve` turns them on unless configured off) */
  diagnostics?: boolean;
  /** The Prometheus registry /metrics answers from. @default the engine's `registry`, else a minimal one from engine.status() */
  registry?: MetricsSource;
  /** Structured log lines (erasures as a count, internal errors without request data). @default the engine's logger, else stdout */
  log?: (line: Record<string, unknown>) => void;
  /**
   * How long POST /api/memory/candidates waits for its candidates to be durable; then 503 STORE_UNAVAILABLE with
   * Retry-After (the candidates stay buffered and are written when the store is back). @default 10000
   */
  durableTimeoutMs?: number;
}

export function createApp(engine: Engine, o: HttpOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  // Answers are small and mostly unique: hashing each one for an ETag costs more than it saves.
  app.set('etag', false);
  app.set('query parser', 'simple');
  const registry = o.registry ?? engineRegistry(engine) ?? statusRegistry(engine);
  const log = o.log ?? engineLog(engine);
  // Auth before body parsing: an unauthenticated body is never read.
  if (o.token) {
    const auth = bearerAuth(o.token);
    app.use('/api', auth);
    if (o.protectOps) app.use(['/metrics', '/healthz', '/readyz'], auth);
  }
  app.use(requireJsonBody);
  app.use(express.json({ limit: BODY_LIMIT, type: () => true, strict: false }));
  app.use(opsRoutes(engine, registry));
  app.use('/api/memory', memoryRoutes(engine, { diagnostics: o.diagnostics, registry, log, durableTimeoutMs: o.durableTimeoutMs }));
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
