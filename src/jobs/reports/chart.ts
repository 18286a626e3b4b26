import fs from 'node:fs';
import path from 'node:path';

/**
 * The digest's chart: villages side by side, drawn by echarts as SVG on the server and turned into
 * a PNG by resvg. Chinese labels need a CJK font that exists on a fresh machine, so the font comes
 * from npm: Noto Sans Hans Regular (SIL OFL, the GB2312 set, 8 MB .otf) from `@embedpdf/fonts-sc`,
 * the one weight loaded. System fonts are loaded too, as a fallback for characters outside GB2312.
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

/** The echarts SVG for the villages (the busiest `MAX_VILLAGES` when there are more). */
export function chartSvg(input: ChartInput): string {
  const v = input.villages;
  const width = Math.max(640, Math.min(1200, 160 + v.length * 70));
  const height = 520;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const echarts: typeof import('echarts') = require('echarts');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
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
        { name: '超期', type: 'bar', data: v.map((x) => x.overdue), label: { show: v.length <= 12, position: 'top', formatter: (p: { value: unknown }) => (p.value ? String(p.value) : '') }, itemStyle: { color: '#e15759' } },
        { name: '按时办结率', type: 'line', yAxisIndex: 1, data: v.map((x) => x.onTime), connectNulls: false, itemStyle: { color: '#f28e2b' } },
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** SVG → PNG with the bundled font. */
export function svgToPng(svg: string): Buffer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Resvg }: typeof import('@resvg/resvg-js') = require('@resvg/resvg-js');
  const r = new Resvg(svg, {
    background: '#ffffff',
    font: { fontFiles: [cjkFont()], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  return r.render().asPng();
}

/**
 * What the jobs call; an object so a test can make it fail. Villages beyond `MAX_VILLAGES` are
 * left out — the busiest (most overdue, then most received) are kept, in the caller's order.
 */
export const charts = {
  render(input: ChartInput): Buffer {
    let villages = input.villages;
    if (villages.length > MAX_VILLAGES) {
      const keep = new Set([...villages].sort((a, b) => b.overdue - a.overdue || b.received - a.received).slice(0, MAX_VILLAGES).map((x) => x.name));
      villages = villages.filter((x) => keep.has(x.name));
    }
    return svgToPng(chartSvg({ ...input, villages }));
  },
};
