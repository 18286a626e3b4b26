// @ts-check
// The dashboard's 12-week trend: fetched from the element's data-src (the same remit and period as
// the page) and drawn with echarts' smallest build (echarts.simple.min.js, served by the app), which
// has no legend or tooltip component: the legend is the page's own list above the chart, and each
// point carries its value as a label.
'use strict';

/**
 * @typedef {{ from: number, label: string, received: number, resolved: number, responseRate: number | null,
 *   onTimeRate: number | null, closeRate: number | null, satisfactionRate: number | null }} Week
 * @typedef {{ setOption(option: object): void, resize(): void }} Chart
 * @typedef {{ init(el: HTMLElement, theme?: null, opts?: { renderer?: string }): Chart }} Echarts
 */

(function () {
  const el = document.getElementById('trend');
  if (!el) return;
  const box = el;
  const fail = () => {
    box.textContent = box.dataset.failed || '';
    box.dataset.state = 'failed';
  };
  const echarts = /** @type {{ echarts?: Echarts }} */ (/** @type {unknown} */ (window)).echarts;
  if (!echarts || !box.dataset.src) {
    fail();
    return;
  }
  const lib = echarts;

  /** @param {{ weeks: Week[] }} data */
  function draw(data) {
    const weeks = data.weeks;
    box.textContent = '';
    const chart = lib.init(box, null, { renderer: 'canvas' });
    const small = { fontSize: 10 };
    chart.setOption({
      animation: false,
      grid: { left: 34, right: 34, top: 16, bottom: 28 },
      xAxis: { type: 'category', data: weeks.map((w) => w.label), axisLabel: { fontSize: 10, interval: 1 } },
      yAxis: [
        { type: 'value', minInterval: 1, axisLabel: small },
        { type: 'value', min: 0, max: 100, axisLabel: small, splitLine: { show: false } },
      ],
      series: [
        { name: 'received', type: 'bar', data: weeks.map((w) => w.received), itemStyle: { color: '#4e79a7' }, barGap: '10%' },
        { name: 'resolved', type: 'bar', data: weeks.map((w) => w.resolved), itemStyle: { color: '#59a14f' } },
        {
          name: 'onTime',
          type: 'line',
          yAxisIndex: 1,
          data: weeks.map((w) => w.onTimeRate),
          itemStyle: { color: '#f28e2b' },
          lineStyle: { color: '#f28e2b' },
          connectNulls: false,
        },
        {
          name: 'satisfied',
          type: 'line',
          yAxisIndex: 1,
          data: weeks.map((w) => w.satisfactionRate),
          itemStyle: { color: '#b07aa1' },
          lineStyle: { color: '#b07aa1' },
          connectNulls: false,
        },
      ],
    });
    window.addEventListener('resize', () => chart.resize());
    box.dataset.state = 'drawn';
    box.dataset.weeks = String(weeks.length);
  }

  fetch(box.dataset.src, { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then((r) => {
      if (!r.ok) throw new Error(`trend: ${r.status}`);
      return /** @type {Promise<{ weeks: Week[] }>} */ (r.json());
    })
    .then(draw)
    .catch(fail);
})();
