import { jsapiSignature } from '../../bot/wecom/pages';
import { esc, pageHtml } from '../../src/web/layout';
import { requestLinks } from '../../src/web/links';
import { safeNext } from '../../src/web/session';
import { csrfOf, LinkData, sign, verify } from '../../src/web/tokens';

/** Signed tokens, links, the JS-SDK signature (the official vector) and the page frame — pure. */
describe('page tokens', () => {
  const now = Date.parse('2026-11-26T10:00:00+08:00');

  it('verifies what it signed, and refuses a forged, an expired or another purpose\'s token', () => {
    const t = sign<LinkData>('secret-one-0123456789', 'link', { r: 7, w: 'villager:3', exp: now + 1000 });
    expect(verify<LinkData>('secret-one-0123456789', 'link', t, now)).toEqual({ ok: true, data: { r: 7, w: 'villager:3', exp: now + 1000 } });
    expect(verify('secret-two-0123456789', 'link', t, now)).toEqual({ ok: false, why: 'forged' });
    expect(verify('secret-one-0123456789', 'session', t, now)).toEqual({ ok: false, why: 'forged' });
    expect(verify('secret-one-0123456789', 'link', t, now + 1000)).toEqual({ ok: false, why: 'expired' });
    const [body, mac] = t.split('.');
    const other = Buffer.from(JSON.stringify({ r: 8, w: 'villager:3', exp: now + 1000 })).toString('base64url');
    expect(verify('secret-one-0123456789', 'link', `${other}.${mac}`, now).ok).toBe(false);
    for (const bad of ['', 'x', `${body}.`, `${body}.${mac}.x`, null, undefined]) expect(verify('secret-one-0123456789', 'link', bad, now).ok).toBe(false);
  });

  it('makes 7-day links for one request and one recipient, and plain page addresses', () => {
    const links = requestLinks('https://mq.example.cn/', 'secret-one-0123456789');
    expect(links.page('20261126-001')).toBe('https://mq.example.cn/h5/requests/20261126-001');
    const url = new URL(links.signed({ id: 5, code: '20261126-001' }, 'villager:9', now));
    expect(url.pathname).toBe('/h5/requests/20261126-001');
    const v = verify<LinkData>('secret-one-0123456789', 'link', url.searchParams.get('t'), now + 6.9 * 86400_000);
    expect(v).toMatchObject({ ok: true, data: { r: 5, w: 'villager:9' } });
    expect(verify('secret-one-0123456789', 'link', url.searchParams.get('t'), now + 7 * 86400_000 + 1).ok).toBe(false);
  });

  it('derives a CSRF token per session nonce', () => {
    expect(csrfOf('s-0123456789abcdef', 'n1')).toBe(csrfOf('s-0123456789abcdef', 'n1'));
    expect(csrfOf('s-0123456789abcdef', 'n1')).not.toBe(csrfOf('s-0123456789abcdef', 'n2'));
    expect(csrfOf('s-0123456789abcdef', 'n1')).not.toBe(csrfOf('t-0123456789abcdef', 'n1'));
  });

  it('computes the JS-SDK signature of the official example', () => {
    const ticket = 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg';
    expect(jsapiSignature(ticket, 'Wm3WZYTPz0wzccnW', 1414587457, 'http://mp.weixin.qq.com?params=value')).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
  });

  it('goes back after a login only to a page of its own', () => {
    expect(safeNext('/h5/requests/20261126-001?x=1')).toBe('/h5/requests/20261126-001?x=1');
    for (const bad of ['https://evil.example.com/h5/', '//evil.example.com/h5/', '/h5\\..\\x', '/sandbox', 5, undefined]) expect(safeNext(bad)).toBe('/h5/todo');
  });

  it('escapes what it is given and frames a Chinese phone page', () => {
    expect(esc('<a href="x">\'&')).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
    const html = pageHtml({ title: '事项 <1>', body: '<p>正文</p>', scripts: ['/h5/assets/request.js'], data: { 'data-csrf': '"x' } });
    expect(html).toMatch(/^<!doctype html><html lang="zh-CN">/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">');
    expect(html).toContain('<title>事项 &lt;1&gt; · 民情直通车</title>');
    expect(html).toContain('<body data-csrf="&quot;x">');
    expect(html).toContain('<script defer src="/h5/assets/request.js"></script>');
  });
});
