import type { IncomingMessage } from 'node:http';
import type { Context, Next } from 'koa';

export const MAX_BODY_BYTES = 1024 * 1024;

/** After a 413, at most this much more is read and thrown away before the connection is cut. */
const DISCARD_LIMIT_FACTOR = 4;

/**
 * Reads the raw request body (up to `limit` bytes) into `ctx.state.rawBody`, so a signature can be
 * checked over the exact bytes before anything parses them. Larger bodies get 413 and are not kept:
 * the rest is read and discarded (so the client sees the answer instead of a reset connection),
 * and a client that goes on sending far beyond is cut off.
 */
export function rawBody({ limit = MAX_BODY_BYTES }: { limit?: number } = {}) {
  return async function readRawBody(ctx: Context, next: Next): Promise<void> {
    const declared = Number(ctx.get('content-length') || 0);
    if (declared > limit) {
      ctx.state.rejectReason = `body of ${declared} bytes exceeds ${limit}`;
      tooLarge(ctx, limit);
    }
    const body = await readUpTo(ctx.req, limit);
    if (body === null) {
      ctx.state.rejectReason = `body exceeds ${limit} bytes`;
      tooLarge(ctx, limit);
    }
    ctx.state.rawBody = body;
    await next();
  };
}

function tooLarge(ctx: Context, limit: number): never {
  const req = ctx.req;
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_LIMIT_FACTOR * limit) req.destroy();
  });
  req.resume();
  ctx.set('Connection', 'close');
  return ctx.throw(413, 'body too large');
}

/** The body, or null as soon as it grows past `limit` (the stream is left flowing, not destroyed). */
function readUpTo(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done();
        resolve(null);
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks));
    };
    const onError = (e: Error) => {
      done();
      reject(e);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The raw body as text, or null when its bytes are not valid UTF-8 (a 400, never text with U+FFFD in it). */
export function utf8Body(body: Buffer): string | null {
  try {
    return strictUtf8.decode(body);
  } catch {
    return null;
  }
}
