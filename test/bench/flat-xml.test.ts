import { readFlatXml } from '../../bot/wecom/adapter';
import { parseWecomXml } from '../../bot/wecom/xml';
import { cardEventXml, eventXml, kfEventXml, mediaXml, textXml } from '../helpers/wecom';

/**
 * The WeCom callback's fast path for flat XML (found by `npm run bench`: the general parser was the
 * largest cost of the ack path) must give exactly what `parseWecomXml` gives, or step aside (null).
 */
describe('readFlatXml', () => {
  const same = (t: string) => {
    const fast = readFlatXml(t);
    expect(fast).not.toBeNull();
    expect(fast).toStrictEqual(parseWecomXml(t));
  };

  it('reads every flat message WeCom sends exactly as parseWecomXml does', () => {
    same(textXml({ from: 'YuanZhiDi', content: '村口路灯坏了三天了', msgId: '1234567890123456', createTime: 1764136800 }));
    same(textXml({ from: 'LiSi', content: '  两端空格 <b> & &amp; ]] > ', msgId: '1' }));
    for (const type of ['image', 'voice', 'location', 'file'] as const) same(mediaXml({ from: 'YuanZhiDi', type }));
    same(kfEventXml({ token: 'tok', openKfId: 'wkAAA' }));
    same(eventXml('enter_agent'));
    same(cardEventXml({ from: 'LiSi', taskId: 't1', key: 'accept', responseCode: 'rc1' }));
    same('<xml><A>  padded text  </A><B></B><C><![CDATA[]]></C><D><![CDATA[ \n ]]></D></xml>');
  });

  it('steps aside for anything else, which the general parser then reads or refuses', () => {
    for (const t of [
      cardEventXml({ from: 'LiSi', taskId: 't1', key: 'accept', selected: { q: ['a'] } }),
      '<?xml version="1.0"?><xml><A>1</A></xml>',
      ' <xml><A>1</A></xml>',
      '<xml>\n<A>1</A>\n</xml>',
      '<xml><A>1</A><A>2</A></xml>',
      '<xml><A x="1">1</A></xml>',
      '<xml><A><B>1</B></A></xml>',
      '<xml><A>a &amp; b</A></xml>',
      '<xml><A>a > b</A></xml>',
      '<xml><A><![CDATA[a\r\nb]]></A></xml>',
      '<xml><A>x<![CDATA[y]]></A></xml>',
      '<xml><A/></xml>',
      '<xml><A><!--c-->1</A></xml>',
      '<xml><toString>1</toString></xml>',
      '<xml><constructor>1</constructor></xml>',
      '<xml><prototype>1</prototype></xml>',
      '<xml><__proto__>1</__proto__></xml>',
      '<xml><SelectedItem>1</SelectedItem></xml>',
      '<xml><a:b>1</a:b></xml>',
      '<xml></xml>',
      '<xml><A>1</B></xml>',
      '<xml><A>1</A>',
      '<xml><A><![CDATA[1</A></xml>',
    ]) {
      expect(readFlatXml(t)).toBeNull();
    }
  });

  it('agrees with parseWecomXml on random documents', () => {
    // A seeded generator (mulberry32), so a failure can be replayed.
    let seed = 0x5eed;
    const rnd = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)];
    const bits = ['a', ' ', '\n', '\r', '\t', '中文', '&', '&amp;', '<', '>', ']]>', ']]', '"', "'", '\u0000', '\u000b', '\ufffe', '\ud800', '😀', '0', '<!DOCTYPE a>', '/'];
    const char = () => {
      try {
        return String.fromCodePoint(Math.floor(rnd() * (rnd() < 0.7 ? 0x800 : 0x110000)));
      } catch {
        return 'x';
      }
    };
    const text = () => Array.from({ length: Math.floor(rnd() * 6) }, () => (rnd() < 0.5 ? pick(bits) : char())).join('');
    const names = ['ToUserName', 'Content', 'MsgId', 'A', 'xml', 'Location_X', '_a', 'a-b', 'a.b', 'a:b', '1a', 'é', '', 'toString', 'valueOf', 'constructor', 'prototype', 'OptionId'];
    let fast = 0;
    for (let k = 0; k < 20_000; k++) {
      const els = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => {
        const name = rnd() < 0.9 ? pick(names) : pick(names) + char();
        const body = rnd() < 0.5 ? `<![CDATA[${text()}]]>` : text();
        return `<${name}>${body}</${rnd() < 0.97 ? name : pick(names)}>`;
      });
      const t = `<xml>${els.join(rnd() < 0.9 ? '' : pick(bits))}</xml>`;
      const got = readFlatXml(t);
      if (got === null) continue;
      fast++;
      let full: unknown;
      try {
        full = parseWecomXml(t);
      } catch (e) {
        throw new Error(`fast path read ${JSON.stringify(t)}, the general parser refused it: ${(e as Error).message}`, { cause: e });
      }
      expect({ t, got }).toStrictEqual({ t, got: full });
    }
    expect(fast).toBeGreaterThan(1_000);
  });
});
