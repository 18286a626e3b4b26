/**
 * A response body read as JSON. Node types `Response.json()` as `Promise<unknown>`; tests read the
 * shapes they assert on, so the body is `any` unless the caller names a type.
 */
export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
