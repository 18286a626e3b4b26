import zlib from 'node:zlib';

/**
 * The text of each page of a PDF that Chromium printed (`page.pdf`), for tests: enough of PDF to
 * read Skia's output — objects, Flate streams, Type0 fonts with a ToUnicode CMap, `Tj`/`TJ` strings
 * in hex — and nothing more. Not a general PDF reader.
 */
interface Obj {
  dict: string;
  stream: Buffer | null;
}

function objects(pdf: Buffer): Map<number, Obj> {
  const out = new Map<number, Obj>();
  const text = pdf.toString('latin1');
  const re = /(\d+) 0 obj\s*([\s\S]*?)endobj/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[2];
    const s = body.indexOf('stream');
    if (s < 0) {
      out.set(Number(m[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, s);
    const start = m.index + m[0].indexOf(body) + s + 'stream'.length + (body[s + 6] === '\r' ? 2 : 1);
    const len = Number(/\/Length (\d+)/.exec(dict)?.[1] ?? 0);
    const raw = pdf.subarray(start, start + len);
    out.set(Number(m[1]), { dict, stream: dict.includes('/FlateDecode') ? zlib.inflateSync(raw) : raw });
  }
  return out;
}

const ref = (dict: string, key: string) => {
  const m = new RegExp(`/${key} (\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : null;
};

interface CMap {
  /** Hex digits per code: 4 for a Type0 font (Identity-H), 2 for the Type3 fonts Skia makes of an OpenType CFF font. */
  width: number;
  map: Map<string, string>;
}

/** code (hex, as in the content stream) → text, from a ToUnicode CMap. */
function cmap(src: string): CMap {
  const map = new Map<string, string>();
  const width = /begincodespacerange\s*<([0-9A-Fa-f]+)>/.exec(src)?.[1].length ?? 4;
  const u = (hex: string) => String.fromCodePoint(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  for (const block of src.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, uni] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(code.toUpperCase(), u(uni));
  }
  for (const block of src.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, uni] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const w = lo.length;
      for (let c = parseInt(lo, 16), k = 0; c <= parseInt(hi, 16); c++, k++) {
        map.set(c.toString(16).toUpperCase().padStart(w, '0'), String.fromCodePoint(parseInt(uni, 16) + k));
      }
    }
  }
  return { width, map };
}

/** Each page's text, in drawing order, one string per page. */
export function pdfPages(pdf: Buffer): string[] {
  const objs = objects(pdf);
  const pages = [...objs.values()].filter((o) => /\/Type \/Page\b(?!s)/.test(o.dict));
  return pages.map((page) => {
    const fonts = new Map<string, CMap>();
    const fontDict = /\/Font <<([^>]*)>>/.exec(page.dict)?.[1] ?? '';
    for (const [, name, id] of fontDict.matchAll(/\/(\w+) (\d+) 0 R/g)) {
      const uni = ref(objs.get(Number(id))?.dict ?? '', 'ToUnicode');
      fonts.set(name, uni === null ? { width: 4, map: new Map() } : cmap(objs.get(uni)?.stream?.toString('latin1') ?? ''));
    }
    const contents = ref(page.dict, 'Contents');
    const ops = contents === null ? '' : (objs.get(contents)?.stream?.toString('latin1') ?? '');
    let font: CMap = { width: 4, map: new Map() };
    let out = '';
    for (const m of ops.matchAll(/\/(\w+) [\d.]+ Tf|\[((?:<[0-9A-Fa-f]*>|[^\]])*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj/g)) {
      if (m[1]) font = fonts.get(m[1]) ?? { width: 4, map: new Map() };
      else {
        const hexes = m[2] !== undefined ? [...m[2].matchAll(/<([0-9A-Fa-f]*)>/g)].map((x) => x[1]) : [m[3]];
        const every = new RegExp(`.{${font.width}}`, 'g');
        for (const h of hexes) for (const code of h.toUpperCase().match(every) ?? []) out += font.map.get(code) ?? '';
      }
    }
    // NFKC: the font maps some glyphs to Kangxi radicals (⼈ U+2F08 for 人); a control character is a space.
    // eslint-disable-next-line no-control-regex
    return out.normalize('NFKC').replace(/[\u0000-\u001f]/g, ' ');
  });
}
