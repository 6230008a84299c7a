/** Renders rows as an aligned plain-text table (the shape `newswatch feeds` and friends print). */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join("\n")}\n`;
}

/** "3m ago", "in 2h": times relative to now, in the units a person reads at a glance. */
export function relative(at: number | null, now: number): string {
  if (at === null) return "-";
  const diff = at - now;
  const abs = Math.abs(diff);
  const units: [number, string][] = [
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "m"],
    [1000, "s"],
  ];
  const [size, unit] = units.find(([u]) => abs >= u) ?? [1000, "s"];
  const text = `${Math.round(abs / size)}${unit}`;
  return diff < 0 ? `${text} ago` : `in ${text}`;
}
