import { extractEncrypt, parseWecomXml, XmlError } from '../../bot/wecom/xml';

/** The XML WeCom sends, and the XML an attacker might: nothing is expanded, nothing reaches outside. */

const LOL = (n: number) =>
  Array.from({ length: n }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
const BILLION_LAUGHS = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY lol0 "lol">${LOL(9)}]><xml><Content>&lol9;</Content></xml>`;
const EXTERNAL = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>`;
const PARAMETER = `<!DOCTYPE xml [<!ENTITY % remote SYSTEM "http://127.0.0.1:1/evil.dtd"> %remote;]><xml><A>1</A></xml>`;

function xmlError(text: string): XmlError {
  try {
    parseWecomXml(text);
  } catch (e) {
    if (e instanceof XmlError) return e;
    throw new Error(`expected an XmlError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected an XmlError, got a result');
}

describe('parseWecomXml', () => {
  it('reads a WeCom message: CDATA and plain text, numbers kept as strings', () => {
    const x = parseWecomXml(
      '<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[LiSi]]></FromUserName><CreateTime>1409659813</CreateTime>' +
        '<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[村口路灯坏了]]></Content><MsgId>4561255354251345929</MsgId><AgentID>218</AgentID></xml>',
    );
    expect(x).toEqual({ ToUserName: 'ww1', FromUserName: 'LiSi', CreateTime: '1409659813', MsgType: 'text', Content: '村口路灯坏了', MsgId: '4561255354251345929', AgentID: '218' });
  });

  it('unescapes escaped text once, and leaves CDATA exactly as written', () => {
    expect(parseWecomXml('<xml><C>a &amp; &lt;b&gt; &quot;&apos; &#20013;&#x6587;</C></xml>').C).toBe('a & <b> "\' 中文');
    expect(parseWecomXml('<xml><C>&amp;lt;</C></xml>').C).toBe('&lt;');
    expect(parseWecomXml('<xml><C><![CDATA[a &amp; <b> & &lt;]]></C></xml>').C).toBe('a &amp; <b> & &lt;');
    expect(parseWecomXml('<xml><C><![CDATA[  两端空格  ]]></C><T>  trimmed  </T></xml>')).toEqual({ C: '  两端空格  ', T: 'trimmed' });
  });

  it('keeps text and CDATA mixed in one element in document order', () => {
    expect(parseWecomXml('<xml><C>x &amp; <![CDATA[<y>]]> z</C></xml>').C).toBe('x & <y> z');
  });

  it('does not expand entities it does not know, nor numeric references beyond Unicode', () => {
    expect(parseWecomXml('<xml><C>&foo;</C></xml>').C).toBe('&foo;');
    expect(parseWecomXml('<xml><C>&#99999999999;</C></xml>').C).toBe('');
  });

  it('reads card selections as lists, even with one item', () => {
    const x = parseWecomXml(
      '<xml><SelectedItems><SelectedItem><QuestionKey><![CDATA[forward_to]]></QuestionKey><OptionIds><OptionId><![CDATA[zhao]]></OptionId></OptionIds></SelectedItem></SelectedItems></xml>',
    );
    expect(x.SelectedItems).toEqual({ SelectedItem: [{ QuestionKey: 'forward_to', OptionIds: { OptionId: ['zhao'] } }] });
  });

  it('refuses the billion laughs, quickly and without expanding anything', () => {
    const t0 = process.hrtime.bigint();
    expect(xmlError(BILLION_LAUGHS).message).toMatch(/DOCTYPE/);
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(100);
  });

  it('refuses external and parameter entities', () => {
    expect(xmlError(EXTERNAL).message).toMatch(/DOCTYPE/);
    expect(xmlError(PARAMETER).message).toMatch(/DOCTYPE/);
    expect(xmlError('<!doctype xml><xml><A>1</A></xml>').message).toMatch(/DOCTYPE/);
  });

  it('takes a message that merely talks about a DOCTYPE inside CDATA', () => {
    expect(parseWecomXml('<xml><Content><![CDATA[网页开头写 <!DOCTYPE html> 吗]]></Content></xml>').Content).toBe('网页开头写 <!DOCTYPE html> 吗');
  });

  it('refuses malformed XML', () => {
    for (const t of ['', 'hello', '<xml><A>1</A>', '<xml><A>1</B></xml>', '<xml><C>a & b</C></xml>', '<xml><A>1</A></xml><xml/>', '{"xml":1}']) {
      expect(xmlError(t).message).toMatch(/malformed/);
    }
  });

  it('refuses a document without an <xml> root, or with an empty one', () => {
    expect(xmlError('<foo><A>1</A></foo>').message).toMatch(/no <xml> root/);
    expect(xmlError('<xml>just text</xml>').message).toMatch(/no elements/);
    expect(xmlError('<xml/>').message).toMatch(/no elements/);
  });

  it('refuses element names that would pollute prototypes, as an XmlError', () => {
    expect(() => parseWecomXml('<xml><__proto__><x>1</x></__proto__></xml>')).toThrow(XmlError);
    expect(() => parseWecomXml('<xml><constructor>1</constructor></xml>')).toThrow(XmlError);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('extractEncrypt', () => {
  const B64 = 'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wv==';

  it('reads <Encrypt> as CDATA or as plain text', () => {
    expect(extractEncrypt(`<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[${B64}]]></Encrypt><AgentID>1</AgentID></xml>`)).toBe(B64);
    expect(extractEncrypt(`  <xml><Encrypt>${B64}</Encrypt></xml>\n`)).toBe(B64);
  });

  it('returns null for anything that is not a WeCom envelope', () => {
    for (const t of [
      '',
      'hello',
      '{"Encrypt":"abc"}',
      `<foo><Encrypt>${B64}</Encrypt></foo>`,
      '<xml><ToUserName>ww1</ToUserName></xml>',
      '<xml><Encrypt></Encrypt></xml>',
      '<xml><Encrypt>not base64!</Encrypt></xml>',
      '<xml><Encrypt>&lol9;</Encrypt></xml>',
      BILLION_LAUGHS,
      EXTERNAL,
    ]) {
      expect(extractEncrypt(t)).toBeNull();
    }
  });
});
