import { LINK_TTL_MS, LinkData, sign } from './tokens';

/**
 * The addresses of the request pages that messages and cards carry (docs/interface.md#pages):
 * - `page(code)`: the plain page, for cards that go to several people at once (one WeCom card to
 *   `LiSi|LuoXianYun` cannot carry each one's link); whoever opens it logs in (OAuth, 免登, sandbox);
 * - `signed(req, recipient)`: a link for one request and one recipient, valid 7 days, that opens
 *   without a login — what a villager's receipt and result card carry.
 */
export interface RequestLinks {
  page: (code: string) => string;
  signed: (req: { id: number; code: string }, recipient: `person:${string}` | `villager:${number}`, now: number) => string;
}

export function requestLinks(publicBaseUrl: string, secret: string): RequestLinks {
  const base = publicBaseUrl.replace(/\/+$/, '');
  const page = (code: string) => `${base}/h5/requests/${encodeURIComponent(code)}`;
  return {
    page,
    signed(req, recipient, now) {
      const t = sign<LinkData>(secret, 'link', { r: req.id, w: recipient, exp: now + LINK_TTL_MS });
      return `${page(req.code)}?t=${t}`;
    },
  };
}
