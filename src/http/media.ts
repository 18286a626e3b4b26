import Router from '@koa/router';
import type { Context } from 'koa';
import type { Db } from '../db/db';
import type { AttachmentRow } from '../db/entities';
import { MinqingError } from '../errors';
import type { Logger } from '../log';
import { contentDisposition, safeFileName } from '../media/filename';
import type { MediaStore } from '../media/store';
import { adminAuth } from './api';

/**
 * Who else may see a request's photos, voice and files: called with the HTTP context and the request's
 * id for a caller without the API token. The pages (docs/interface.md#routes `/h5/…`) answer it from
 * their session or their signed link; until they are connected, nobody but the API token gets through.
 */
export type MediaAccess = (ctx: Context, requestId: number) => Promise<boolean>;

export const noMediaAccess: MediaAccess = () => Promise.resolve(false);

export interface MediaRouteDeps {
  db: Db;
  store: MediaStore;
  adminToken?: string;
  access: MediaAccess;
  log: Logger;
}

/** What a browser may show in place (pictures, sound, video); anything else is offered as a download. */
const inline = (mime: string) => /^(image\/(jpeg|png|gif|webp|bmp|avif)|audio\/|video\/)/.test(mime);

/**
 * `GET /media/:attachmentId` (the bytes as kept) and `GET /media/:attachmentId/play` (the copy a browser
 * plays, e.g. the MP3 of an AMR voice) — docs/interface.md#media. With `Authorization: Bearer
 * $ADMIN_TOKEN`, or when `access` says yes for the attachment's request; otherwise 403, logged without
 * anything personal. The type is what was sniffed at download, never a header or a name; the file name
 * is made safe (src/media/filename.ts); nothing the caller sends becomes a path.
 */
export function mediaRouter(d: MediaRouteDeps): Router {
  const r = new Router();
  const admin = adminAuth(d.adminToken);

  const allowed = async (ctx: Context, row: AttachmentRow): Promise<boolean> => {
    if (ctx.get('authorization')) {
      // A token is given: it must be the API's (a wrong one is a 401, as on the API).
      let ok = false;
      await admin(ctx, () => {
        ok = true;
        return Promise.resolve();
      });
      return ok;
    }
    return d.access(ctx, row.requestId);
  };

  const serve = (play: boolean) => async (ctx: Context) => {
    const id = String((ctx.params as Record<string, string | undefined>).attachmentId ?? '');
    if (!/^\d{1,12}$/.test(id)) throw new MinqingError(404, 'not_found', '没有找到这个文件');
    const row = await d.db.read.media.byId(Number(id));
    if (!row) throw new MinqingError(404, 'not_found', '没有找到这个文件');
    if (!(await allowed(ctx, row))) {
      d.log.info({ attachmentId: row.id, requestId: row.requestId, reason: 'access refused' }, 'media refused');
      throw new MinqingError(403, 'forbidden', '您无权查看这个文件。请从事项页面或消息里的链接打开。', 'media access refused');
    }
    const sha = play ? row.playSha256 : row.sha256;
    if (row.status !== 'stored' || !sha) {
      const why = row.status === 'failed' ? (row.error ?? '文件未能保存') : row.status === 'stored' ? '这个文件没有可播放的版本' : '文件还在保存中，请稍后再看';
      throw new MinqingError(404, 'not_stored', why, `attachment ${row.id} is ${row.status}`);
    }
    const file = await d.store.open(sha);
    if (!file) {
      d.log.error({ attachmentId: row.id, requestId: row.requestId }, 'media file missing from the store');
      throw new MinqingError(404, 'not_stored', '文件不见了，请联系管理员', 'file missing from the media store');
    }
    const mime = (play ? row.playMime : row.mime) ?? 'application/octet-stream';
    const etag = `"${sha}"`;
    ctx.set('etag', etag);
    ctx.set('cache-control', 'private, max-age=86400');
    ctx.set('x-content-type-options', 'nosniff');
    ctx.set('content-security-policy', "default-src 'none'; sandbox");
    if (ctx.get('if-none-match') === etag) {
      ctx.status = 304;
      return;
    }
    const ext = play ? 'mp3' : (row.ext ?? 'bin');
    const name = safeFileName(row.meta.fileName, ext, `附件${row.id}`);
    ctx.set('content-disposition', contentDisposition(inline(mime) ? 'inline' : 'attachment', name));
    ctx.type = mime;
    ctx.length = file.bytes;
    ctx.body = file.stream();
  };

  r.get('/media/:attachmentId', serve(false));
  r.get('/media/:attachmentId/play', serve(true));
  return r;
}
