import type { MediaAccess } from '../http/media';
import type { WebDeps } from './deps';
import { standing } from './door';
import { loadViewer, readSession } from './session';
import { viewRefusal } from './visibility';

/**
 * Who may open a request's photos, voice and files without the API token (docs/interface.md#media):
 * whoever may see the request's page — the session of a login, or of a signed link for that very request.
 */
export function pageMediaAccess(w: WebDeps): MediaAccess {
  return async (ctx, requestId) => {
    const s = readSession(ctx, w);
    if (!s || (s.l !== undefined && s.l !== requestId)) return false;
    const v = await loadViewer(w, s.w);
    const req = v ? await w.app.db.read.requests.byId(requestId) : null;
    if (!v || !req) return false;
    return !viewRefusal(v, req, (await standing(w, req, v)).standing, w.app.directory);
  };
}
