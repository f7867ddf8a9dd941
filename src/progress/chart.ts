import { encode } from 'fast-png';
import { CELL_HEIGHT, CELL_WIDTH, fontText, glyphRows, textWidth } from './bitmap-font.js';

/** One scored round on the chart. */
export interface ChartPoint {
  /** When the round started, epoch ms. */
  readonly at: number;
  /** Overall score 0..100. */
  readonly overall: number;
  /** Level 0..4 of each criterion, by criterion id. */
  readonly levels: Readonly<Record<string, number>>;
}

/** What to draw: a title, the criteria to plot and the rounds. */
export interface ChartSpec {
  /** Drawn at the top; cut with "." when it does not fit. */
  readonly title: string;
  /** The criteria to draw, in order, with a short label (e.g. "Hypothesis"). */
  readonly criteria: readonly { readonly id: string; readonly label: string }[];
  /** Oldest first; at most the last 30 are drawn. */
  readonly points: readonly ChartPoint[];
}

/** Width of the chart in pixels. */
export const CHART_WIDTH = 960;
/** Height of the chart in pixels. */
export const CHART_HEIGHT = 540;
/** How many of the most recent points are drawn; older ones are left off. */
export const MAX_CHART_POINTS = 30;

/** An sRGB colour as [red, green, blue], 0..255 each. */
export type Rgb = readonly [number, number, number];

/** Colour of the overall score's line and dots (Okabe–Ito black). */
export const OVERALL_COLOUR: Rgb = [0x00, 0x00, 0x00];
/**
 * Colours of the criterion lines, in the order of `ChartSpec.criteria`: the Okabe–Ito
 * colour-blind-safe palette, yellow last as it is faint on white. An eighth criterion takes the
 * first colour again.
 */
export const CRITERION_COLOURS: readonly Rgb[] = [
  [0xe6, 0x9f, 0x00], // orange
  [0x56, 0xb4, 0xe9], // sky blue
  [0x00, 0x9e, 0x73], // bluish green
  [0x00, 0x72, 0xb2], // blue
  [0xd5, 0x5e, 0x00], // vermillion
  [0xcc, 0x79, 0xa7], // reddish purple
  [0xf0, 0xe4, 0x42], // yellow
];

/** Which axis a value is read on: the overall score 0..100 or a criterion level 0..4. */
export type ChartScale = 'overall' | 'level';

/** The plot area in pixels, edges included: 0 (or level 0) at `bottom`, 100 (level 4) at `top`. */
export const PLOT_AREA = { left: 80, top: 64, right: 712, bottom: 456 } as const;

/**
 * The image's colours. The PNG is indexed colour: the raster holds a palette index (an "ink")
 * per pixel, a quarter of the bytes of RGBA, which makes encoding several times faster and the
 * file smaller. Text, axes and grid are greys no series uses, so a pixel's colour tells its series.
 */
const PALETTE: readonly Rgb[] = [
  [0xff, 0xff, 0xff], // paper
  [0x33, 0x33, 0x33], // text
  [0x77, 0x77, 0x77], // axes and ticks
  [0xe3, 0xe3, 0xe3], // grid
  OVERALL_COLOUR,
  ...CRITERION_COLOURS,
];
const [PAPER, TEXT, AXIS, GRID, OVERALL] = [0, 1, 2, 3, 4];
/** Inset of the first and last point from the plot's sides, so dots never sit on the axis. */
const X_INSET = 24;
const TICKS = [0, 25, 50, 75, 100];
const LEGEND_LEFT = 740;
const MARGIN = 16;

/**
 * Where the point `index` (0-based among `count` drawn points) of a series lands when its value
 * is `value` on `scale`, in whole pixels. Values outside the scale are clamped to it; a single
 * point sits in the middle.
 */
export function plotPosition(
  index: number,
  count: number,
  value: number,
  scale: ChartScale,
): { x: number; y: number } {
  const { left, top, right, bottom } = PLOT_AREA;
  const share = Math.min(1, Math.max(0, value / (scale === 'overall' ? 100 : 4)));
  const x =
    count <= 1
      ? (left + right) / 2
      : left + X_INSET + (index * (right - left - 2 * X_INSET)) / (count - 1);
  return { x: Math.round(x), y: Math.round(bottom - share * (bottom - top)) };
}

/** The colour of the criterion at `index` in `ChartSpec.criteria`. */
export function criterionColour(index: number): Rgb {
  return PALETTE[criterionInk(index)] ?? OVERALL_COLOUR;
}

/** The palette index of the criterion at `index`. */
function criterionInk(index: number): number {
  return OVERALL + 1 + (index % CRITERION_COLOURS.length);
}

/** The chart as PNG bytes (CHART_WIDTH x CHART_HEIGHT, 8-bit indexed colour). */
export function progressChart(spec: ChartSpec): Uint8Array {
  const raster = new Raster(CHART_WIDTH, CHART_HEIGHT);
  const points = spec.points.slice(-MAX_CHART_POINTS);
  const firstRound = spec.points.length - points.length + 1;
  const title = fitText(fontText(spec.title), CHART_WIDTH - 2 * MARGIN, 2);
  raster.text(title, (CHART_WIDTH - textWidth(title, 2)) / 2, MARGIN, 2, TEXT);
  drawAxes(raster, points.length, firstRound);
  spec.criteria.forEach((criterion, i) => {
    const values = points.map((p) => p.levels[criterion.id]);
    drawSeries(raster, values, 'level', criterionInk(i), 1, 4);
  });
  const overall = points.map((p) => p.overall);
  drawSeries(raster, overall, 'overall', OVERALL, 2, 6);
  if (points.length === 0) {
    const [text, { left, right, top, bottom }] = ['No scored rounds yet', PLOT_AREA];
    raster.text(text, (left + right - textWidth(text, 2)) / 2, (top + bottom) / 2 - 10, 2, TEXT);
  }
  drawLegend(raster, spec.criteria);
  const palette = PALETTE.map((rgb) => [...rgb]);
  const image = { width: CHART_WIDTH, height: CHART_HEIGHT, data: raster.data, channels: 1 };
  // Level 6 makes the file about half the size of fast-png's default level 3, as fast.
  return encode({ ...image, depth: 8, palette }, { zlib: { level: 6 } });
}

/** Grid lines with the 0..100 ticks, the axes, and the round numbers under the points. */
function drawAxes(raster: Raster, count: number, firstRound: number): void {
  const { left, top, right, bottom } = PLOT_AREA;
  for (const tick of TICKS) {
    const y = plotPosition(0, 1, tick, 'overall').y;
    if (tick > 0) raster.rect(left, y, right - left + 1, 1, GRID);
    const label = String(tick);
    raster.text(label, left - 10 - textWidth(label, 2), y - CELL_HEIGHT + 3, 2, TEXT);
    raster.rect(left - 6, y, 6, 1, AXIS);
  }
  raster.rect(left, top, 1, bottom - top + 1, AXIS);
  raster.rect(left, bottom, right - left + 1, 1, AXIS);

  // Label every `step`-th round, counted back from the latest so it is always labelled.
  const spacing = count > 1 ? (right - left - 2 * X_INSET) / (count - 1) : Number.POSITIVE_INFINITY;
  const widest = textWidth(String(firstRound + count - 1), 2) + 10;
  const step = [1, 2, 5, 10].find((s) => s * spacing >= widest) ?? 15;
  for (let i = 0; i < count; i++) {
    const { x } = plotPosition(i, count, 0, 'overall');
    raster.rect(x, bottom + 1, 1, 5, AXIS);
    if ((count - 1 - i) % step !== 0) continue;
    const label = String(firstRound + i);
    raster.text(label, x - textWidth(label, 2) / 2, bottom + 10, 2, TEXT);
  }
  const caption = 'Round';
  raster.text(caption, (left + right - textWidth(caption, 2)) / 2, bottom + 40, 2, TEXT);
}

/**
 * One series: a line through consecutive known values, then a dot on each. A missing or
 * non-finite value leaves a gap. Dots of the thicker (overall) series get a white halo so they
 * stand out where criterion lines cross them.
 */
function drawSeries(
  raster: Raster,
  values: readonly (number | undefined)[],
  scale: ChartScale,
  ink: number,
  lineRadius: number,
  dotRadius: number,
): void {
  const at = values.map((v, i) =>
    v === undefined || !Number.isFinite(v) ? undefined : plotPosition(i, values.length, v, scale),
  );
  for (let i = 1; i < at.length; i++) {
    const [a, b] = [at[i - 1], at[i]];
    if (a && b) raster.line(a.x, a.y, b.x, b.y, lineRadius, ink);
  }
  for (const p of at) {
    if (!p) continue;
    if (lineRadius > 1) raster.disc(p.x, p.y, dotRadius + 2, PAPER);
    raster.disc(p.x, p.y, dotRadius, ink);
  }
}

/** The legend to the right of the plot: a swatch and the label of each series, then a key note. */
function drawLegend(
  raster: Raster,
  criteria: readonly { readonly id: string; readonly label: string }[],
): void {
  const entries = [
    { label: 'Overall score', ink: OVERALL, line: 2, dot: 6 },
    ...criteria.map((c, i) => ({
      label: fontText(c.label),
      ink: criterionInk(i),
      line: 1,
      dot: 4,
    })),
  ];
  const swatch = 32;
  const room = CHART_WIDTH - MARGIN - LEGEND_LEFT - swatch - 8;
  const scale = entries.every((e) => textWidth(e.label, 2) <= room) ? 2 : 1;
  const rowHeight = CELL_HEIGHT * scale + 10;
  const notes = ['Criteria: level 0-4', 'drawn as 0-100'];
  const last = PLOT_AREA.bottom - notes.length * (CELL_HEIGHT + 4) - 10;
  let y = PLOT_AREA.top;
  for (const entry of entries) {
    if (y + rowHeight > last) break; // more criteria than fit: the first ones are shown
    const mid = y + Math.floor((CELL_HEIGHT * scale) / 2) - 1;
    raster.line(LEGEND_LEFT, mid, LEGEND_LEFT + swatch, mid, entry.line, entry.ink);
    raster.disc(LEGEND_LEFT + swatch / 2, mid, entry.dot, entry.ink);
    raster.text(fitText(entry.label, room, scale), LEGEND_LEFT + swatch + 8, y, scale, TEXT);
    y += rowHeight;
  }
  for (const note of notes) {
    y += 4;
    raster.text(note, LEGEND_LEFT, y, 1, TEXT);
    y += CELL_HEIGHT;
  }
}

/** `text` cut to fit `width` pixels at `scale`, ending in "." when cut. */
function fitText(text: string, width: number, scale: number): string {
  const max = Math.floor(width / (CELL_WIDTH * scale));
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}.`;
}

/** A buffer of palette indices with the few drawing operations the chart needs, clipped. */
class Raster {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8Array(width * height).fill(PAPER);
  }

  /** Fills the `w` x `h` rectangle whose top-left pixel is (x, y) with `ink`. */
  rect(x: number, y: number, w: number, h: number, ink: number): void {
    const x0 = Math.max(0, Math.round(x));
    const x1 = Math.min(this.width, Math.round(x) + w);
    const y1 = Math.min(this.height, Math.round(y) + h);
    if (x1 <= x0) return;
    for (let py = Math.max(0, Math.round(y)); py < y1; py++) {
      this.data.fill(ink, py * this.width + x0, py * this.width + x1);
    }
  }

  /** Fills the disc of `radius` around (cx, cy); radius 0 is one pixel. */
  disc(cx: number, cy: number, radius: number, ink: number): void {
    // r² + r rounds the rim like a midpoint circle instead of leaving single-pixel nubs.
    const limit = radius * radius + radius;
    for (let dy = -radius; dy <= radius; dy++) {
      const half = Math.floor(Math.sqrt(Math.max(0, limit - dy * dy)));
      this.rect(cx - half, cy + dy, 2 * half + 1, 1, ink);
    }
  }

  /** A line from (x0, y0) to (x1, y1) by Bresenham's algorithm, a disc of `radius` per step. */
  line(x0: number, y0: number, x1: number, y1: number, radius: number, ink: number): void {
    let [x, y] = [Math.round(x0), Math.round(y0)];
    const [tx, ty] = [Math.round(x1), Math.round(y1)];
    const dx = Math.abs(tx - x);
    const dy = -Math.abs(ty - y);
    const [sx, sy] = [x < tx ? 1 : -1, y < ty ? 1 : -1];
    let err = dx + dy;
    for (;;) {
      this.disc(x, y, radius, ink);
      if (x === tx && y === ty) return;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y += sy;
      }
    }
  }

  /** `text` (font characters only) from cell top-left (x, y), each font pixel a `scale` square. */
  text(text: string, x: number, y: number, scale: number, ink: number): void {
    let cx = Math.round(x);
    for (const ch of text) {
      glyphRows(ch).forEach((bits, row) => {
        for (let col = 0; col < CELL_WIDTH; col++) {
          if (bits & (0x80 >> col)) {
            this.rect(cx + col * scale, Math.round(y) + row * scale, scale, scale, ink);
          }
        }
      });
      cx += CELL_WIDTH * scale;
    }
  }
}
