import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * XML as WeCom sends it, parsed without entity expansion. A DOCTYPE is refused outright: WeCom never
 * sends one, and it is the door to entity bombs and external entities.
 */
const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: true,
  cdataPropName: '#cdata',
  isArray: (name) => name === 'SelectedItem' || name === 'OptionId',
});

export class XmlError extends Error {}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e[0] !== '#') return PREDEFINED[e];
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** Text nodes come back unescaped, CDATA sections as they are. */
function flatten(v: unknown): unknown {
  if (typeof v === 'string') return unescapeXml(v);
  if (Array.isArray(v)) return v.map(flatten);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '#cdata') return String(o['#cdata']);
    if (keys.includes('#cdata') && keys.every((k) => k === '#cdata' || k === '#text')) return `${o['#text'] ?? ''}${o['#cdata']}`;
    return Object.fromEntries(keys.map((k) => [k, flatten(o[k])]));
  }
  return v;
}

/** Parses `<xml>…</xml>` and returns the children of the root. */
export function parseWecomXml(text: string): Record<string, unknown> {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlError('DOCTYPE/ENTITY declarations are not accepted');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlError(`malformed XML: ${valid.err.msg}`);
  const doc = flatten(parser.parse(text)) as Record<string, unknown>;
  const root = doc.xml;
  if (!root || typeof root !== 'object') throw new XmlError('no <xml> root element');
  return root as Record<string, unknown>;
}

export function str(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/**
 * The <Encrypt> value of a WeCom callback envelope, read without an XML parser (the body is not yet
 * authenticated). Returns null unless the body looks like `<xml>…<Encrypt>BASE64</Encrypt>…</xml>`.
 */
export function extractEncrypt(body: string): string | null {
  const t = body.trim();
  if (!t.startsWith('<xml>') || !t.endsWith('</xml>')) return null;
  const m = /<Encrypt>(?:<!\[CDATA\[([A-Za-z0-9+/=]+)\]\]>|([A-Za-z0-9+/=]+))<\/Encrypt>/.exec(t);
  return m?.[1] ?? m?.[2] ?? null;
}
