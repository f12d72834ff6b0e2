/** Figures as the benchmarks print them. */

export const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;

/** The p-th percentile (nearest rank) of the values. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
  );
  return sorted[index];
}
