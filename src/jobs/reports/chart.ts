import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The digest's chart: villages side by side, drawn by echarts as SVG on the server and turned into
 * a PNG by resvg. Chinese labels need a CJK font that exists on a fresh machine, so the font comes
 * from npm: Noto Sans Hans Regular (SIL OFL, the GB2312 set, 8 MB .otf) from `@embedpdf/fonts-sc`,
 * the one weight loaded (system fonts are not: they cost memory and add nothing for GB2312 text).
 */
export const FONT_FAMILY = 'Noto Sans S Chinese';
export const MAX_VILLAGES = 20;

export interface VillageBar {
  name: string;
  received: number;
  done: number;
  overdue: number;
  /** 按时办结率 in %, or null when nothing was resolved */
  onTime: number | null;
}

export interface ChartInput {
  title: string;
  subtitle?: string;
  villages: VillageBar[];
}

let fontFile: string | null = null;
/** The bundled CJK font (resolved once; throws if the package is missing). */
export function cjkFont(): string {
  if (fontFile) return fontFile;
  const f = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', 'NotoSansHans-Regular.otf');
  if (!fs.existsSync(f)) throw new Error(`CJK font not found at ${f}`);
  return (fontFile = f);
}

/** The echarts option for the villages: plain JSON, so it can be handed to the renderer process. */
export function chartOption(input: ChartInput): { option: Record<string, unknown>; width: number; height: number } {
  const v = input.villages;
  const width = Math.max(640, Math.min(1200, 160 + v.length * 70));
  const height = 520;
  const option = {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FONT_FAMILY },
    title: { text: input.title, subtext: input.subtitle ?? '', left: 'center', top: 8, textStyle: { fontSize: 18 } },
    legend: { top: input.subtitle ? 62 : 44, data: ['受理', '办结', '超期', '按时办结率'] },
    grid: { top: input.subtitle ? 110 : 90, left: 56, right: 56, bottom: v.length > 8 ? 90 : 50 },
    xAxis: { type: 'category', data: v.map((x) => x.name), axisLabel: { interval: 0, rotate: v.length > 8 ? 40 : 0 } },
    yAxis: [
      { type: 'value', name: '件', minInterval: 1 },
      { type: 'value', name: '%', min: 0, max: 100, splitLine: { show: false } },
    ],
    series: [
      { name: '受理', type: 'bar', data: v.map((x) => x.received), label: { show: v.length <= 12, position: 'top' }, itemStyle: { color: '#4e79a7' } },
      { name: '办结', type: 'bar', data: v.map((x) => x.done), itemStyle: { color: '#59a14f' } },
      {
        name: '超期',
        type: 'bar',
        // A zero shows no label (a formatter function would not survive JSON).
        data: v.map((x) => ({ value: x.overdue, label: { show: v.length <= 12 && x.overdue > 0, position: 'top' } })),
        itemStyle: { color: '#e15759' },
      },
      { name: '按时办结率', type: 'line', yAxisIndex: 1, data: v.map((x) => x.onTime), connectNulls: false, itemStyle: { color: '#f28e2b' } },
    ],
  };
  return { option, width, height };
}

/**
 * The renderer, run in a child process: echarts (server-side SVG) and resvg (SVG → PNG) with the
 * bundled font. Out of the server's process they cost its memory nothing and cannot take it down;
 * the server's event loop keeps answering callbacks meanwhile.
 */
const RENDERER = `
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const j = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const echarts = require(j.echarts);
  const { Resvg } = require(j.resvg);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: j.width, height: j.height });
  chart.setOption(j.option);
  const svg = chart.renderToSVGString();
  chart.dispose();
  const png = new Resvg(svg, { background: '#ffffff', font: { fontFiles: [j.font], loadSystemFonts: false, defaultFontFamily: j.family, sansSerifFamily: j.family } }).render().asPng();
  process.stdout.write(png);
});`;

export const RENDER_TIMEOUT_MS = 30_000;

export function renderPng(input: ChartInput): Promise<Buffer> {
  const { option, width, height } = chartOption(input);
  const job = JSON.stringify({ option, width, height, font: cjkFont(), family: FONT_FAMILY, echarts: require.resolve('echarts'), resvg: require.resolve('@resvg/resvg-js') });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', RENDERER], { stdio: ['pipe', 'pipe', 'pipe'], timeout: RENDER_TIMEOUT_MS });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const png = Buffer.concat(out);
      if (code === 0 && png.length) resolve(png);
      else reject(new Error(`chart renderer exited ${signal ?? code}: ${Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join(' | ')}`));
    });
    child.stdin.end(job);
  });
}

/**
 * What the jobs call; an object so a test can make it fail. Villages beyond `MAX_VILLAGES` are
 * left out — the busiest (most overdue, then most received) are kept, in the caller's order.
 */
export const charts = {
  render(input: ChartInput): Promise<Buffer> {
    let villages = input.villages;
    if (villages.length > MAX_VILLAGES) {
      const keep = new Set([...villages].sort((a, b) => b.overdue - a.overdue || b.received - a.received).slice(0, MAX_VILLAGES).map((x) => x.name));
      villages = villages.filter((x) => keep.has(x.name));
    }
    return renderPng({ ...input, villages });
  },
};
