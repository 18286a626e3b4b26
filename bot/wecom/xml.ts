import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * XML as WeCom sends it, parsed without entity expansion. A DOCTYPE is refused outright: WeCom never
 * sends one, and it is the door to entity bombs and external entities. Document order is kept, so
 * text and CDATA mixed in one element come back as written.
 */
const parser = new XMLParser({
  preserveOrder: true,
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: false,
  cdataPropName: '#cdata',
});

/** Elements that are lists even when only one is present. */
const ARRAY_NAMES = new Set(['SelectedItem', 'OptionId']);
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

export class XmlError extends Error {}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e[0] !== '#') return PREDEFINED[e];
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

type OrderedNode = Record<string, unknown>;
const nameOf = (n: OrderedNode) => Object.keys(n).find((k) => k !== ':@');

/** Text nodes come back unescaped and trimmed, CDATA sections as they are; repeated elements as lists. */
function flatten(children: OrderedNode[]): unknown {
  const elements = children.filter((n) => {
    const k = nameOf(n);
    return k !== undefined && k !== '#text' && k !== '#cdata';
  });
  if (!elements.length) {
    const parts = children.map((n) =>
      '#cdata' in n
        ? { cdata: true, s: ((n['#cdata'] as OrderedNode[])[0]?.['#text'] as string | undefined) ?? '' }
        : { cdata: false, s: String((n['#text'] as string | undefined) ?? '') },
    );
    if (parts.length && !parts[0].cdata) parts[0].s = parts[0].s.trimStart();
    const last = parts[parts.length - 1];
    if (last && !last.cdata) last.s = last.s.trimEnd();
    return parts.map((p) => (p.cdata ? p.s : unescapeXml(p.s))).join('');
  }
  const out: Record<string, unknown> = {};
  for (const n of elements) {
    const k = nameOf(n)!;
    if (RESERVED.has(k)) throw new XmlError(`element name ${k} is not accepted`);
    const v = flatten(n[k] as OrderedNode[]);
    if (ARRAY_NAMES.has(k)) out[k] = [...((out[k] as unknown[]) ?? []), v];
    else if (k in out) out[k] = Array.isArray(out[k]) ? [...(out[k] as unknown[]), v] : [out[k], v];
    else out[k] = v;
  }
  return out;
}

/** Parses `<xml>…</xml>` and returns the children of the root. */
export function parseWecomXml(text: string): Record<string, unknown> {
  // CDATA is content, not markup: a message that merely mentions "<!DOCTYPE" is fine.
  if (/<!DOCTYPE|<!ENTITY/i.test(text.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, ''))) {
    throw new XmlError('DOCTYPE/ENTITY declarations are not accepted');
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlError(`malformed XML: ${valid.err.msg}`);
  let doc: OrderedNode[];
  try {
    doc = parser.parse(text) as OrderedNode[];
  } catch (e) {
    throw new XmlError(`unparsable XML: ${(e as Error).message}`);
  }
  const roots = doc.filter((n) => nameOf(n) !== '#text' && nameOf(n) !== undefined);
  if (roots.length > 1) throw new XmlError('malformed XML: more than one root element');
  if (roots.length !== 1 || nameOf(roots[0]) !== 'xml') throw new XmlError('no <xml> root element');
  const root = flatten(roots[0].xml as OrderedNode[]);
  if (!root || typeof root !== 'object') throw new XmlError('the <xml> root element has no elements');
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
