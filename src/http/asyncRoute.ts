// Express 5 forwards rejected promises itself; this wrapper only fixes the handler's type in one place.
import type { Request, RequestHandler, Response } from 'express';

export const route = (fn: (req: Request, res: Response) => Promise<unknown> | unknown): RequestHandler =>
  async (req, res, next) => {
    try { await fn(req, res); } catch (e) { next(e); }
  };
