// Maps anything thrown in a route to `{error:{code,message,details}}` from the one catalogue; never leaks a stack.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { isMemdedupError, MemdedupError } from '../errors.js';

export function sendError(res: Response, e: MemdedupError): void {
  if (e.code === 'OVERLOADED' || e.status === 503) res.setHeader('Retry-After', '1');
  res.status(e.status).json({ error: { code: e.code, message: e.message, details: e.details ?? null } });
}

export const notFound: RequestHandler = (req, res) => {
  sendError(res, new MemdedupError('NOT_FOUND', `no route for ${req.method} ${req.path.slice(0, 200)}`));
};

/** What body-parser (and the router's param decoding) throw: a plain Error with a 4xx status and a type. */
interface HttpishError { type?: string; status?: number; statusCode?: number; message?: string }

const BODY_PROBLEMS: Record<string, string> = {
  'entity.parse.failed': 'request body is not valid JSON',
  'charset.unsupported': 'request body charset is not supported (use utf-8)',
  'encoding.unsupported': 'request body content-encoding is not supported',
  'request.aborted': 'request body was aborted',
  'request.size.invalid': 'request body size does not match content-length',
};

export function toCatalogueError(err: unknown): MemdedupError {
  if (isMemdedupError(err)) return err;
  const e = (err ?? {}) as HttpishError;
  if (e.type === 'entity.too.large') return new MemdedupError('PAYLOAD_TOO_LARGE', 'request body is over the 1 MB limit', [{ field: 'body', problem: 'over 1 MB' }]);
  // Express 5 decodes route params with decodeURIComponent; a bad escape (e.g. %E0%A4%A) throws URIError.
  if (err instanceof URIError) return new MemdedupError('INVALID_INPUT', 'the path has an invalid percent-encoding', [{ field: 'path', problem: 'invalid percent-encoding' }]);
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message = (e.type && BODY_PROBLEMS[e.type]) ?? 'bad request';
    return new MemdedupError('INVALID_INPUT', message, [{ field: 'body', problem: String(e.type ?? 'invalid') }]);
  }
  return new MemdedupError('INTERNAL', 'internal error');
}

export function errorHandler(onInternal?: (err: unknown) => void): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (res.headersSent) { res.destroy(); return; }
    const e = toCatalogueError(err);
    if (e.code === 'INTERNAL') onInternal?.(err);
    sendError(res, e);
  };
}

/** Bodies must be JSON: a body with another content type is refused before it is read. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody || isJson(req.headers['content-type'])) return next();
  next(new MemdedupError('INVALID_INPUT', 'request body must be application/json', [{ field: 'content-type', problem: 'must be application/json' }]));
};

export function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}
