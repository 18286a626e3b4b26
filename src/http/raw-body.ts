import type { Context, Next } from 'koa';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads the raw request body (up to `limit` bytes) into `ctx.state.rawBody`, so a signature can be
 * checked over the exact bytes before anything parses them. Larger bodies get 413 and are not read on.
 */
export function rawBody({ limit = MAX_BODY_BYTES }: { limit?: number } = {}) {
  return async function readRawBody(ctx: Context, next: Next): Promise<void> {
    const declared = Number(ctx.get('content-length') || 0);
    if (declared > limit) {
      ctx.state.rejectReason = `body of ${declared} bytes exceeds ${limit}`;
      ctx.throw(413, 'body too large');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        ctx.state.rejectReason = `body exceeds ${limit} bytes`;
        ctx.req.destroy();
        ctx.throw(413, 'body too large');
      }
      chunks.push(chunk as Buffer);
    }
    ctx.state.rawBody = Buffer.concat(chunks);
    await next();
  };
}
