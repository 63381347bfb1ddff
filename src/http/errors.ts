// Maps anything thrown in a route to `{error:{code,message,details}}` from the one catalogue; never leaks a stack.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isMemdedupError, MemdedupError } from '../errors.js';

export function sendError(res: Parameters<RequestHandler>[1], e: MemdedupError): void {
  if (e.code === 'OVERLOADED') res.setHeader('Retry-After', '1');
  res.status(e.status).json({ error: { code: e.code, message: e.message, details: e.details ?? null } });
}

export const notFound: RequestHandler = (req, res) => {
  sendError(res, new MemdedupError('NOT_FOUND', `no route for ${req.method} ${req.path.slice(0, 200)}`));
};

export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (res.headersSent) return;
  if (isMemdedupError(err)) return sendError(res, err);
  const e = err as { type?: string; status?: number; statusCode?: number };
  // body-parser errors carry a type and a 4xx status.
  if (e?.type === 'entity.too.large') return sendError(res, new MemdedupError('PAYLOAD_TOO_LARGE', 'request body is over the 1 MB limit'));
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return sendError(res, new MemdedupError('INVALID_INPUT', e?.type === 'entity.parse.failed' ? 'request body is not valid JSON' : 'bad request', [{ field: 'body', problem: String(e?.type ?? 'invalid') }]));
  }
  sendError(res, new MemdedupError('INTERNAL', 'internal error'));
};
