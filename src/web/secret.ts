import crypto from 'node:crypto';
import type { Db } from '../db/db';

export const SECRET_KEY = 'pages.session_secret';

/**
 * The secret that signs sessions and links (docs/interface.md#environment `SESSION_SECRET`): the one
 * configured, else one generated the first time and kept in the database — the same for every
 * instance on that database, and across restarts.
 */
export async function sessionSecret(db: Db, configured: string | undefined, at: number): Promise<string> {
  if (configured) return configured;
  return db.write((r) => r.pages.once(SECRET_KEY, () => crypto.randomBytes(32).toString('base64url'), at));
}
