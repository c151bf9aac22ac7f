/**
 * A category label short enough for a chart's side axis. Chart.js gives that axis only part of a
 * narrow canvas and clips a longer label at its left edge, so a phone gets shorter labels (the
 * full names are in each chart's hidden table and its tooltips).
 */
export function axisLabel(text: string, canvasWidth: number, wideMax = 24): string {
  const max = canvasWidth < 480 ? Math.min(18, wideMax) : wideMax
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
