import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SetTimer } from '../../src/media/download';
import { memoryLogger } from '../../src/log';
import { sniff } from '../../src/media/sniff';
import { bundledFfmpeg, needsTranscode, transcodeVoice } from '../../src/media/transcode';

const amr = readFileSync(path.join(__dirname, 'fixtures', 'voice.amr'));

/** What ffmpeg itself says about a file: "Duration: 00:00:08.90" and "Audio: mp3, 16000 Hz, mono". */
function probe(bytes: Buffer): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'minqing-probe-'));
  try {
    const file = path.join(dir, 'out.mp3');
    writeFileSync(file, bytes);
    try {
      execFileSync(bundledFfmpeg()!, ['-hide_banner', '-i', file], { stdio: 'pipe' });
    } catch (e) {
      return String((e as { stderr: Buffer }).stderr); // ffmpeg with no output file exits 1 after describing the input
    }
    return '';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** WeCom's AMR voice becomes MP3 a browser plays, in a child process with a time limit. */
describe('transcodeVoice', () => {
  it('finds the ffmpeg that @ffmpeg-installer ships, and it decodes AMR-NB and encodes MP3', () => {
    const bin = bundledFfmpeg();
    expect(bin).toMatch(/@ffmpeg-installer[/\\]linux-x64[/\\]ffmpeg$/);
    const codecs = execFileSync(bin!, ['-hide_banner', '-codecs'], { encoding: 'utf8' });
    expect(codecs).toMatch(/D.A... amr_nb .*decoders:.*libopencore_amrnb/);
    expect(codecs).toMatch(/.EA... mp3 .*encoders: libmp3lame/);
  });

  it('turns the 8.9 s AMR-NB sample into an MP3 of the same length (16 kHz mono)', async () => {
    const r = await transcodeVoice(amr, 'audio/amr');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r).toMatchObject({ mime: 'audio/mpeg', ext: 'mp3' });
    expect(sniff(r.bytes).mime).toBe('audio/mpeg');
    const info = probe(r.bytes);
    expect(info).toMatch(/Audio: mp3, 16000 Hz, mono/);
    const [, s] = /Duration: 00:00:(\d+\.\d+)/.exec(info)!;
    expect(Number(s)).toBeGreaterThan(8.5);
    expect(Number(s)).toBeLessThan(9.3);
    expect(r.bytes.length).toBeLessThan(60 * 1024); // ~32 kbit/s
  });

  it('lets the event loop run while ffmpeg works', async () => {
    let turns = 0;
    let running = true;
    const spin = () => {
      turns++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    const r = await transcodeVoice(amr, 'audio/amr');
    running = false;
    expect(r.ok).toBe(true);
    expect(turns).toBeGreaterThan(10);
  });

  it('says what went wrong: not AMR, bytes ffmpeg cannot read, no ffmpeg, too much output', async () => {
    const { log, lines } = memoryLogger();
    expect(needsTranscode('audio/amr')).toBe(true);
    expect(needsTranscode('audio/mpeg')).toBe(false);
    expect(await transcodeVoice(amr, 'audio/mpeg')).toMatchObject({ ok: false, reason: 'unsupported' });
    expect(await transcodeVoice(Buffer.from('#!AMR\nthis is not speech at all'), 'audio/amr', { log })).toMatchObject({ ok: false, reason: 'failed', zh: '语音无法转换，已保存原始语音' });
    expect(await transcodeVoice(amr, 'audio/amr', { ffmpeg: null })).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(await transcodeVoice(amr, 'audio/amr', { ffmpeg: '/nonexistent/ffmpeg' })).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(await transcodeVoice(amr, 'audio/amr', { maxOutputBytes: 1000 })).toMatchObject({ ok: false, reason: 'too_large' });
    const warned = lines().filter((l) => l.level === 40);
    expect(warned.map((l) => l.reason)).toEqual(['failed']);
    expect(JSON.stringify(warned)).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('kills ffmpeg when its time is up', async () => {
    let fire: (() => void) | null = null;
    const setTimer: SetTimer = (f) => {
      fire = f;
      return () => undefined;
    };
    const p = transcodeVoice(Buffer.concat(Array.from({ length: 40 }, () => amr)), 'audio/amr', { setTimer });
    fire!();
    expect(await p).toMatchObject({ ok: false, reason: 'timeout', zh: '语音转换超时，已保存原始语音' });
  });
});
