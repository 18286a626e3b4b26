import type { Logger } from '../log';
import type { AppDeps } from '../operations/tx';
import type { RequestLinks } from './links';

/** What the pages need: the app's deps, the secret that signs sessions and links, and where they live. */
export interface WebDeps {
  app: AppDeps;
  /** SESSION_SECRET, or the one generated once and kept in the database. */
  secret: string;
  links: RequestLinks;
  log: Logger;
}

export const now = (w: WebDeps) => w.app.clock.now().getTime();

/** A route parameter as a string ('' when absent). */
export function param(ctx: object, name: string): string {
  const v = (ctx as { params?: Record<string, unknown> }).params?.[name];
  return typeof v === 'string' ? v : '';
}
