import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { describeBrowser, launchChromium } from '../helpers/browser';
import { freshDatabaseUrl } from '../helpers/db';
import { Harness, startHarness } from '../helpers/harness';

/**
 * CSRF on the sandbox, in a real browser: a page on another origin that a visitor of the sandbox
 * opens tries to report a matter and tap a card in their name — a form POST, a no-cors `fetch`
 * with text/plain, and a JSON `fetch` (which needs a CORS preflight the sandbox never grants).
 * None of it is stored.
 */
describeBrowser('sandbox: another page cannot post through the visitor\'s browser', () => {
  let h: Harness;
  let browser: Browser;
  let evil: http.Server;
  let evilBase: string;

  beforeAll(async () => {
    h = await startHarness({ databaseUrl: await freshDatabaseUrl('sqlite'), platform: 'sandbox' });
    const target = `${h.base}/sandbox/api/send`;
    const page = `<!doctype html><meta charset="utf-8"><body>
      <form id="f" method="POST" action="${target}" enctype="text/plain" target="sink"><input name='{"as":"v1","text":"form","x":"' value='"}'></form>
      <iframe name="sink"></iframe>
      <script>
        window.tries = Promise.all([
          fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ as: 'v1', text: 'no-cors' }) }).then(() => 'sent', (e) => 'blocked'),
          fetch(${JSON.stringify(target)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: 'v1', text: 'json' }) }).then(() => 'sent', (e) => 'blocked'),
        ]);
        window.formDone = new Promise((r) => document.querySelector('iframe').addEventListener('load', () => r('loaded')));
        document.getElementById('f').submit();
      </script></body>`;
    evil = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    // Another origin: same host name, another port.
    evilBase = `http://localhost:${(evil.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => evil?.close(r));
    await h?.close();
  });

  it('stores nothing from another origin; the JSON fetch never gets past the preflight', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${evilBase}/`);
    const outcomes = await page.evaluate<string[]>('window.tries');
    // The JSON one is refused by the browser itself (no Access-Control-Allow-Origin on the preflight).
    expect(outcomes[1]).toBe('blocked');
    expect(await page.evaluate<string>('window.formDone')).toBe('loaded');
    await context.close();
    await h.app.settle();
    expect(await h.app.db.query('SELECT id FROM inbound_delivery')).toEqual([]);
    const rejected = h.logs().filter((l) => l.msg === 'sandbox request rejected').map((l) => l.status);
    expect(rejected).toEqual(expect.arrayContaining([415]));
  });
});
