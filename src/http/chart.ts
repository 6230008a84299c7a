import { type Html, html } from "./html.ts";

export interface Bar {
  label: string;
  value: number;
}

/**
 * A bar chart as inline SVG: no script, no library, readable by screen readers through its
 * title and the table of values each page shows next to it. Sized by viewBox so it
 * scales to a phone's width.
 */
export function barChart(
  bars: Bar[],
  opts: { title: string; height?: number; className?: string },
): Html {
  const height = opts.height ?? 60;
  const width = Math.max(1, bars.length) * 10;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rects = bars.map((bar, i) => {
    const h = bar.value === 0 ? 0 : Math.max(1.5, (bar.value / max) * (height - 2));
    return html`<rect x="${i * 10 + 1}" y="${(height - h).toFixed(1)}" width="8" height="${h.toFixed(1)}"><title>${bar.label}: ${bar.value}</title></rect>`;
  });
  return html`<svg class="${opts.className ?? "chart"}" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img" aria-label="${opts.title}"><title>${opts.title}</title><line x1="0" y1="${height - 0.5}" x2="${width}" y2="${height - 0.5}" class="axis"></line>${rects}</svg>`;
}
