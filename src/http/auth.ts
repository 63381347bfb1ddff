// Bearer-token auth: when a token is configured, a request needs `Authorization: Bearer <token>`.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { MemdedupError } from '../errors.js';
import { sendError } from './errors.js';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Compares SHA-256 digests, so neither the length nor a prefix of the token leaks through timing. */
export function bearerAuth(token: string): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer[ \t]+(.+)$/i.exec(header) : null;
    const given = digest(m ? m[1]!.trim() : '');
    if (m && timingSafeEqual(given, expected)) return next();
    res.setHeader('WWW-Authenticate', 'Bearer realm="memdedup"');
    sendError(res, new MemdedupError('UNAUTHORIZED', m ? 'the bearer token is wrong' : 'an Authorization: Bearer <token> header is required'));
  };
}
