/**
 * chart.js behind one small wrapper: views describe bars and lines in data terms; the wrapper
 * owns the configuration, the theme colours, accessibility labels, and recolouring.
 */
import {
  BarController,
  BarElement,
  Chart,
  LinearScale,
  CategoryScale,
  Legend,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
  type Plugin,
} from 'chart.js';
import { onThemeChange, themeColors, withAlpha, type ThemeColors } from './theme';

Chart.register(BarController, BarElement, LinearScale, CategoryScale, Legend, Tooltip);

/** A colour by role, resolved against the current theme when drawing. */
export type ColorRole = 'a' | 'b' | 'hold' | 'wait' | 'long' | 'bins';

function roleColor(t: ThemeColors, role: ColorRole): string {
  return t.named(`chart-${role}`);
}

/** A vertical rule at an x value, e.g. the long-hold threshold. */
export interface Rule {
  x: number;
  label: string;
}

export interface BarsSpec {
  /** Accessible summary; the chart's table alternative sits next to it. */
  label: string;
  categories: string[];
  series: { label: string; role: ColorRole; values: number[] }[];
  /** Horizontal bars (one row per category). */
  horizontal?: boolean;
  valueTitle: string;
  format: (v: number) => string;
}

export interface HistogramSpec {
  label: string;
  /** Equal-width bin edges in x units (length = counts + 1). */
  edges: number[];
  counts: number[];
  xTitle: string;
  format: (x: number) => string;
  rule?: Rule;
}

export interface GanttSpec {
  label: string;
  lanes: string[];
  bars: { lane: number; start: number; end: number; role: ColorRole; tip: string }[];
  xTitle: string;
  format: (x: number) => string;
  xMax: number;
}

export interface ChartHandle {
  destroy(): void;
}

const live = new Set<{ chart: Chart; recolor: () => void }>();
onThemeChange(() => live.forEach((c) => c.recolor()));

/** Draws `rule` as a dashed vertical line with its label. */
declare module 'chart.js' {
  // The type parameter must match chart.js's declaration for the interfaces to merge.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType extends ChartType> {
    /** Options of the rule plugin (per chart type, as chart.js declares plugin options). */
    mmRule?: { rule?: Rule; color?: string };
  }
}

const rulePlugin: Plugin<'bar'> = {
  id: 'mmRule',
  afterDatasetsDraw(chart, _args, options: { rule?: Rule; color?: string }) {
    const { rule, color } = options;
    if (!rule) return;
    const x = chart.scales.x.getPixelForValue(rule.x);
    const { top, bottom } = chart.chartArea;
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = color ?? 'red';
    ctx.fillStyle = color ?? 'red';
    ctx.setLineDash([6, 4]);
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, bottom);
    ctx.stroke();
    ctx.textAlign = x > chart.chartArea.right - 120 ? 'right' : 'left';
    ctx.fillText(rule.label, x + (ctx.textAlign === 'right' ? -4 : 4), top + 10);
    ctx.restore();
  },
};
Chart.register(rulePlugin);

function axes(t: ThemeColors) {
  return {
    ticks: { color: t.muted },
    grid: { color: t.grid },
    border: { color: t.border },
    title: { color: t.foreground },
  };
}

function make(
  canvas: HTMLCanvasElement,
  label: string,
  build: (t: ThemeColors) => ChartConfiguration,
): ChartHandle {
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  const chart = new Chart(canvas, build(themeColors()));
  const entry = {
    chart,
    recolor: () => {
      const fresh = build(themeColors());
      chart.options = fresh.options!;
      fresh.data.datasets.forEach((d, i) =>
        Object.assign(chart.data.datasets[i], {
          backgroundColor: d.backgroundColor,
          borderColor: d.borderColor,
        }),
      );
      chart.update('none');
    },
  };
  live.add(entry);
  return {
    destroy: () => {
      live.delete(entry);
      chart.destroy();
    },
  };
}

function common(t: ThemeColors) {
  Chart.defaults.font.family = t.font.split(' ').slice(1).join(' ');
  Chart.defaults.color = t.foreground;
  return { animation: false as const, responsive: true, maintainAspectRatio: false };
}

export function barChart(canvas: HTMLCanvasElement, spec: BarsSpec): ChartHandle {
  return make(canvas, spec.label, (t) => ({
    type: 'bar',
    data: {
      labels: spec.categories,
      datasets: spec.series.map((s) => ({
        label: s.label,
        data: s.values,
        backgroundColor: withAlpha(roleColor(t, s.role), t.contrast ? 1 : 0.75),
        borderColor: roleColor(t, s.role),
        borderWidth: t.contrast ? 2 : 1,
      })),
    },
    options: {
      ...common(t),
      indexAxis: spec.horizontal ? 'y' : 'x',
      plugins: {
        legend: { labels: { color: t.foreground } },
        tooltip: {
          callbacks: {
            label: (c) =>
              `${c.dataset.label}: ${spec.format(c.parsed[spec.horizontal ? 'x' : 'y'] ?? 0)}`,
          },
        },
      },
      scales: {
        [spec.horizontal ? 'x' : 'y']: {
          ...axes(t),
          beginAtZero: true,
          ticks: { color: t.muted, callback: (v: number | string) => spec.format(Number(v)) },
          title: { display: true, text: spec.valueTitle, color: t.foreground },
        },
        [spec.horizontal ? 'y' : 'x']: axes(t),
      },
    },
  }));
}

export function histogram(canvas: HTMLCanvasElement, spec: HistogramSpec): ChartHandle {
  const width = spec.edges[1] - spec.edges[0];
  // Bars sit at category indices 0..n-1, centred on their bins: x maps to (x - first edge) / width - 0.5.
  const rule = spec.rule && { ...spec.rule, x: (spec.rule.x - spec.edges[0]) / width - 0.5 };
  return make(canvas, spec.label, (t) => ({
    type: 'bar',
    data: {
      labels: spec.counts.map(
        (_, i) => `${spec.format(spec.edges[i])} – ${spec.format(spec.edges[i + 1])}`,
      ),
      datasets: [
        {
          label: 'holds',
          data: spec.counts,
          backgroundColor: withAlpha(roleColor(t, 'bins'), t.contrast ? 1 : 0.75),
          borderColor: roleColor(t, 'bins'),
          borderWidth: 1,
          barPercentage: 1,
          categoryPercentage: 0.96,
        },
      ],
    },
    options: {
      ...common(t),
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (c) => `${c.parsed.y} hold(s)` } },
        mmRule: { rule, color: t.warn },
      },
      scales: {
        // Ticks sit under the bars' centres, so they name the centres; grid lines mark the edges.
        x: {
          ...axes(t),
          ticks: {
            color: t.muted,
            maxRotation: 0,
            autoSkip: true,
            callback: (_v: number | string, i: number) =>
              spec.format((spec.edges[i] + spec.edges[i + 1]) / 2),
          },
          title: { display: true, text: spec.xTitle, color: t.foreground },
        },
        y: {
          ...axes(t),
          beginAtZero: true,
          ticks: { color: t.muted, precision: 0 },
          title: { display: true, text: 'holds', color: t.foreground },
        },
      },
    },
  }));
}

/**
 * Floating horizontal bars per lane: who held a lock while who waited. chart.js puts one value
 * per category in a dataset, so the k-th bar of every lane goes in the k-th dataset of its role.
 */
export function gantt(canvas: HTMLCanvasElement, spec: GanttSpec): ChartHandle {
  const names: Record<ColorRole, string> = {
    hold: 'holding',
    wait: 'waiting',
    long: 'holding past the threshold',
    a: 'A',
    b: 'B',
    bins: 'holds',
  };
  const slots: { role: ColorRole; data: ([number, number] | null)[]; tips: string[] }[] = [];
  const used = new Map<string, number>();
  for (const b of spec.bars) {
    const k = `${b.role}\0${b.lane}`;
    const n = used.get(k) ?? 0;
    used.set(k, n + 1);
    let slot = slots.filter((s) => s.role === b.role)[n];
    if (!slot)
      slots.push(
        (slot = { role: b.role, data: spec.lanes.map(() => null), tips: spec.lanes.map(() => '') }),
      );
    slot.data[b.lane] = [b.start, b.end];
    slot.tips[b.lane] = b.tip;
  }
  const firstOfRole = new Set(slots.map((s) => slots.find((x) => x.role === s.role)!));
  return make(canvas, spec.label, (t) => ({
    type: 'bar',
    data: {
      labels: spec.lanes,
      datasets: slots.map((s) => ({
        label: names[s.role],
        data: s.data,
        backgroundColor: withAlpha(
          roleColor(t, s.role),
          t.contrast ? 1 : s.role === 'wait' ? 0.45 : 0.85,
        ),
        borderColor: roleColor(t, s.role),
        borderWidth: 1,
        borderSkipped: false,
        grouped: false,
        barPercentage: s.role === 'wait' ? 0.45 : 0.8,
      })),
    },
    options: {
      ...common(t),
      indexAxis: 'y',
      plugins: {
        legend: {
          labels: {
            color: t.foreground,
            filter: (item) => firstOfRole.has(slots[item.datasetIndex ?? 0]),
          },
        },
        tooltip: { callbacks: { label: (c) => slots[c.datasetIndex].tips[c.dataIndex] } },
      },
      scales: {
        x: {
          ...axes(t),
          type: 'linear',
          min: 0,
          max: spec.xMax,
          ticks: { color: t.muted, callback: (v: number | string) => spec.format(Number(v)) },
          title: { display: true, text: spec.xTitle, color: t.foreground },
        },
        y: axes(t),
      },
    },
  }));
}
