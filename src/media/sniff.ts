/**
 * What a file is, from its first bytes — never from a header, a file name or what the message said
 * (docs/interface.md#media: "MIME sniffed from the bytes"). Pure.
 */
export type MediaKind = 'image' | 'voice' | 'video' | 'file';

export interface Sniffed {
  mime: string;
  kind: MediaKind;
  /** a file-name extension for downloads, without the dot */
  ext: string;
}

const OCTET: Sniffed = { mime: 'application/octet-stream', kind: 'file', ext: 'bin' };

const ascii = (b: Uint8Array, at: number, s: string): boolean => {
  if (b.length < at + s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
};
const bytesAt = (b: Uint8Array, at: number, xs: number[]): boolean => b.length >= at + xs.length && xs.every((x, i) => b[at + i] === x);

/** Does `needle` (ASCII) occur in the first or the last 64 KiB? (Office documents name their parts in the ZIP's headers.) */
function mentions(b: Uint8Array, needle: string): boolean {
  const n = Buffer.from(needle, 'latin1');
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const span = 64 * 1024;
  return buf.subarray(0, span).includes(n) || (buf.length > span && buf.subarray(Math.max(span, buf.length - span)).includes(n));
}

function ftyp(b: Uint8Array): Sniffed | null {
  if (!ascii(b, 4, 'ftyp') || b.length < 12) return null;
  const brand = Buffer.from(b.subarray(8, 12)).toString('latin1');
  if (/^M4[ABP] $/.test(brand)) return { mime: 'audio/mp4', kind: 'voice', ext: 'm4a' };
  if (/^(heic|heix|hevc|hevx|heim|heis|mif1|msf1)$/.test(brand)) return { mime: 'image/heic', kind: 'image', ext: 'heic' };
  if (/^avi[fs]$/.test(brand)) return { mime: 'image/avif', kind: 'image', ext: 'avif' };
  if (brand.startsWith('3g2')) return { mime: 'video/3gpp2', kind: 'video', ext: '3g2' };
  if (brand.startsWith('3g')) return { mime: 'video/3gpp', kind: 'video', ext: '3gp' };
  if (brand === 'qt  ') return { mime: 'video/quicktime', kind: 'video', ext: 'mov' };
  return { mime: 'video/mp4', kind: 'video', ext: 'mp4' };
}

function zip(b: Uint8Array): Sniffed {
  if (mentions(b, 'word/')) return { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', kind: 'file', ext: 'docx' };
  if (mentions(b, 'xl/')) return { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', kind: 'file', ext: 'xlsx' };
  if (mentions(b, 'ppt/')) return { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', kind: 'file', ext: 'pptx' };
  return { mime: 'application/zip', kind: 'file', ext: 'zip' };
}

/** MPEG audio frame header: 11 sync bits, a version that exists, layer I–III, a bitrate index that is neither free nor bad, a sample rate that exists. */
function mpegAudio(b: Uint8Array, at = 0): boolean {
  if (b.length < at + 4 || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return false;
  const version = (b[at + 1] >> 3) & 3;
  const layer = (b[at + 1] >> 1) & 3;
  const bitrate = b[at + 2] >> 4;
  const rate = (b[at + 2] >> 2) & 3;
  return version !== 1 && layer !== 0 && bitrate !== 0 && bitrate !== 15 && rate !== 3;
}

/** Valid UTF-8 with no control characters but tab, CR, LF (and form feed) in the first 4 KiB. */
function plainText(b: Uint8Array): boolean {
  if (!b.length) return false;
  let head = b.subarray(0, 4096);
  if (b.length > 4096) {
    // do not fail on a character cut at the end of the sample
    let cut = head.length;
    while (cut > head.length - 4 && (head[cut - 1] & 0xc0) === 0x80) cut--;
    if (cut > 0 && head[cut - 1] >= 0xc0) cut--;
    head = head.subarray(0, cut);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head);
  } catch {
    return false;
  }
  // Text has no control characters other than tab, newline, form feed and carriage return.
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}

/** The type of a file from its bytes; `application/octet-stream` (kind `file`) when nothing is recognised. */
export function sniff(b: Uint8Array): Sniffed {
  if (bytesAt(b, 0, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', kind: 'image', ext: 'jpg' };
  if (bytesAt(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', kind: 'image', ext: 'png' };
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return { mime: 'image/gif', kind: 'image', ext: 'gif' };
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return { mime: 'image/webp', kind: 'image', ext: 'webp' };
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE')) return { mime: 'audio/wav', kind: 'voice', ext: 'wav' };
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'AVI ')) return { mime: 'video/x-msvideo', kind: 'video', ext: 'avi' };
  if (ascii(b, 0, 'BM') && b.length >= 26 && [12, 40, 52, 56, 64, 108, 124].includes(b[14] | (b[15] << 8))) return { mime: 'image/bmp', kind: 'image', ext: 'bmp' };
  if (ascii(b, 0, '#!AMR-WB\n')) return { mime: 'audio/amr-wb', kind: 'voice', ext: 'awb' };
  if (ascii(b, 0, '#!AMR\n')) return { mime: 'audio/amr', kind: 'voice', ext: 'amr' };
  if (ascii(b, 0, '#!SILK_V3') || (b[0] === 0x02 && ascii(b, 1, '#!SILK_V3'))) return { mime: 'audio/silk', kind: 'voice', ext: 'silk' };
  if (ascii(b, 0, 'ID3') || mpegAudio(b)) return { mime: 'audio/mpeg', kind: 'voice', ext: 'mp3' };
  if (b.length >= 2 && b[0] === 0xff && (b[1] & 0xf6) === 0xf0) return { mime: 'audio/aac', kind: 'voice', ext: 'aac' };
  if (ascii(b, 0, 'OggS')) return { mime: 'audio/ogg', kind: 'voice', ext: 'ogg' };
  if (ascii(b, 0, 'fLaC')) return { mime: 'audio/flac', kind: 'voice', ext: 'flac' };
  if (bytesAt(b, 0, [0x1a, 0x45, 0xdf, 0xa3])) return { mime: 'video/webm', kind: 'video', ext: 'webm' };
  const f = ftyp(b);
  if (f) return f;
  if (ascii(b, 0, '%PDF-')) return { mime: 'application/pdf', kind: 'file', ext: 'pdf' };
  if (bytesAt(b, 0, [0x50, 0x4b, 0x03, 0x04]) || bytesAt(b, 0, [0x50, 0x4b, 0x05, 0x06])) return zip(b);
  if (bytesAt(b, 0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return { mime: 'application/x-ole-storage', kind: 'file', ext: 'doc' };
  if (ascii(b, 0, 'Rar!\x1a\x07')) return { mime: 'application/vnd.rar', kind: 'file', ext: 'rar' };
  if (bytesAt(b, 0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return { mime: 'application/x-7z-compressed', kind: 'file', ext: '7z' };
  if (ascii(b, 0, 'MZ')) return { mime: 'application/x-msdownload', kind: 'file', ext: 'exe' };
  if (bytesAt(b, 0, [0x7f, 0x45, 0x4c, 0x46])) return { mime: 'application/x-executable', kind: 'file', ext: 'elf' };
  if (plainText(b)) return { mime: 'text/plain; charset=utf-8', kind: 'file', ext: 'txt' };
  return OCTET;
}

/** Programs, which are never kept, whatever the message says. */
const PROGRAMS = new Set(['application/x-msdownload', 'application/x-executable']);

/** Voice may come in a video container (an .mp4 or .3gp with only sound); a file may be anything but a program. */
function fits(claimed: MediaKind, s: Sniffed): boolean {
  if (PROGRAMS.has(s.mime)) return false;
  switch (claimed) {
    case 'image':
      return s.kind === 'image';
    case 'voice':
      return s.kind === 'voice' || s.mime === 'video/mp4' || s.mime === 'video/3gpp';
    case 'video':
      return s.kind === 'video';
    case 'file':
      return true;
  }
}

export type ClaimCheck =
  | { ok: true; sniffed: Sniffed }
  | { ok: false; sniffed: Sniffed; reason: 'empty' | 'program' | 'mismatch'; /** for people */ zh: string };

/** Are these bytes what the message says they are? An "image" whose bytes are a ZIP is refused. */
export function checkClaim(claimed: MediaKind, bytes: Uint8Array): ClaimCheck {
  const sniffed = sniff(bytes);
  if (!bytes.length) return { ok: false, sniffed, reason: 'empty', zh: '文件是空的，未保存' };
  if (PROGRAMS.has(sniffed.mime)) return { ok: false, sniffed, reason: 'program', zh: '不能保存可执行程序文件' };
  if (!fits(claimed, sniffed)) return { ok: false, sniffed, reason: 'mismatch', zh: '文件内容与消息类型不符，未保存' };
  return { ok: true, sniffed };
}
