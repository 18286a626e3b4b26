/**
 * An error that knows what to tell people: an HTTP status, a stable code for machines, and a short
 * Chinese message for humans.
 */
export class MinqingError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly userMessage: string,
    detail?: string,
  ) {
    super(detail ?? code);
    this.name = 'MinqingError';
  }
}

export const notFound = (what: string) => new MinqingError(404, 'not_found', `没有找到${what}`);
/** `zh` is what the caller reads (Chinese); `detail` what the log says (English), when they differ. */
export const badRequest = (zh: string, detail?: string) => new MinqingError(400, 'bad_request', `请求有误：${zh}`, detail ?? zh);
export const unauthorized = () => new MinqingError(401, 'unauthorized', '需要有效的管理令牌');
