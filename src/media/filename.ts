/**
 * The name a downloaded file is offered under. What a message says a file is called is the sender's
 * to choose — `../../etc/passwd`, `报告.pdf\u202eexe.`, a name with quotes or NULs — so it is never a
 * path and never trusted: only its last segment is kept, without control, quote, path or bidi
 * characters, at most 80 characters, and with the extension of what the bytes are (sniffed) when the
 * name claims another. Pure.
 */
// Control characters are exactly what this removes.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f"'`\\/:*?<>|;\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu;

/** Extensions that name the same kind of bytes as the sniffed one. */
const SAME: Record<string, string[]> = {
  jpg: ['jpeg', 'jpe', 'jfif'],
  doc: ['xls', 'ppt', 'msg', 'wps', 'et', 'dps'],
  txt: ['csv', 'log', 'md', 'text'],
  mp4: ['m4v'],
  m4a: ['mp4', 'aac'],
  '3gp': ['3gpp'],
  mov: ['qt'],
  awb: ['amr'],
  bin: [],
};

export function safeFileName(claimed: unknown, ext: string, fallback: string): string {
  const raw = typeof claimed === 'string' ? claimed : '';
  const last = raw.split(/[/\\]/).pop() ?? '';
  let name = last.replace(UNSAFE, '').replace(/\s+/g, ' ').trim().replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  name = Array.from(name).slice(0, 80).join('');
  if (!name) name = fallback;
  const dot = name.lastIndexOf('.');
  const has = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (ext && ext !== 'bin' && has !== ext && !(SAME[ext] ?? []).includes(has)) name = `${name}.${ext}`;
  return name;
}

/** A Content-Disposition header for `name`: an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/[%"]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
