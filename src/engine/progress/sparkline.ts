const BARS = "▁▂▃▄▅▆▇█";

/**
 * A unicode sparkline of scores on a FIXED scale (default the rubric's 1–4), so a row of 4s reads
 * as full bars and a row of 1s as empty ones; rescaling to the data would make any trend look dramatic.
 */
export function sparkline(values: readonly number[], scale: { min: number; max: number } = { min: 1, max: 4 }): string {
  const span = scale.max - scale.min;
  return values
    .map((v) => {
      const clamped = Math.min(scale.max, Math.max(scale.min, v));
      const index = span === 0 ? BARS.length - 1 : Math.round(((clamped - scale.min) / span) * (BARS.length - 1));
      return BARS[index]!;
    })
    .join("");
}

export type Trend = "up" | "down" | "flat" | "new";

/**
 * Direction of the latest scores: mean of the newer half against the older half, with a dead band
 * of a quarter point so noise between graders does not read as progress.
 */
export function trend(values: readonly number[]): Trend {
  if (values.length < 2) return "new";
  const half = Math.floor(values.length / 2);
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const delta = mean(values.slice(values.length - half)) - mean(values.slice(0, values.length - half));
  if (delta >= 0.25) return "up";
  if (delta <= -0.25) return "down";
  return "flat";
}
