import { convertIndexedToRgb, decode, hasPngSignature } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { fontText, glyphRows } from '../../src/progress/bitmap-font.js';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  type ChartPoint,
  type ChartSpec,
  criterionColour,
  MAX_CHART_POINTS,
  OVERALL_COLOUR,
  PLOT_AREA,
  plotPosition,
  progressChart,
} from '../../src/progress/chart.js';

const CRITERIA = [
  { id: 'framing', label: 'Framing' },
  { id: 'hypothesis', label: 'Hypothesis' },
];
/** Index of the criterion whose dots the tests look at: drawn last, so no other line covers them. */
const HYPOTHESIS = 1;

/** Rounds with the given overall scores and hypothesis levels; framing stays at level 0. */
function rounds(overall: readonly number[], hypothesis: readonly number[]): ChartPoint[] {
  return overall.map((score, i) => ({
    at: Date.UTC(2026, 0, 1 + i),
    overall: score,
    levels: { framing: 0, hypothesis: hypothesis[i] ?? 0 },
  }));
}

function spec(points: ChartPoint[]): ChartSpec {
  return { title: 'Progress of Ada', criteria: CRITERIA, points };
}

/** The chart decoded, with a look-up of the [r, g, b] of one pixel (through the palette if any). */
function render(chart: ChartSpec) {
  const bytes = progressChart(chart);
  const png = decode(bytes);
  const data = png.palette ? convertIndexedToRgb(png) : png.data;
  const channels = png.palette ? (png.palette[0]?.length ?? 3) : png.channels;
  const rgb = ({ x, y }: { x: number; y: number }) => {
    const i = (y * png.width + x) * channels;
    return [data[i], data[i + 1], data[i + 2]];
  };
  return { bytes, png, rgb };
}

/** Every pixel inside the plot area (axes excluded) whose colour is `colour`. */
function pixelsOf(chart: ReturnType<typeof render>, colour: readonly number[]) {
  const found: { x: number; y: number }[] = [];
  for (let y = PLOT_AREA.top - 10; y < PLOT_AREA.bottom; y++) {
    for (let x = PLOT_AREA.left + 1; x <= PLOT_AREA.right; x++) {
      if (chart.rgb({ x, y }).every((v, k) => v === colour[k])) found.push({ x, y });
    }
  }
  return found;
}

describe('progressChart', () => {
  it('encodes an 8-bit indexed-colour PNG of CHART_WIDTH x CHART_HEIGHT', () => {
    const { bytes, png } = render(spec(rounds([40, 60], [1, 2])));
    expect(hasPngSignature(bytes)).toBe(true);
    expect([png.width, png.height, png.depth]).toEqual([CHART_WIDTH, CHART_HEIGHT, 8]);
    expect(png.palette).toContainEqual([...OVERALL_COLOUR]);
    expect(png.palette).toContainEqual([...criterionColour(HYPOTHESIS)]);
  });

  it("puts each round's overall dot and hypothesis dot where its score and level say, in their colours", () => {
    const overall = [20, 55, 80, 40];
    const hypothesis = [1, 3, 4, 2];
    const chart = render(spec(rounds(overall, hypothesis)));
    overall.forEach((score, i) => {
      expect(chart.rgb(plotPosition(i, 4, score, 'overall'))).toEqual(OVERALL_COLOUR);
    });
    hypothesis.forEach((level, i) => {
      expect(chart.rgb(plotPosition(i, 4, level, 'level'))).toEqual(criterionColour(HYPOTHESIS));
    });
  });

  it('moves the dots when the data changes', () => {
    const a = { overall: [20, 55, 80, 40], hypothesis: [1, 3, 4, 2] };
    const b = { overall: [70, 10, 35, 95], hypothesis: [4, 0, 1, 3] };
    const first = render(spec(rounds(a.overall, a.hypothesis)));
    const second = render(spec(rounds(b.overall, b.hypothesis)));
    a.overall.forEach((score, i) => {
      const at = plotPosition(i, 4, score, 'overall');
      expect(first.rgb(at)).toEqual(OVERALL_COLOUR);
      expect(second.rgb(at)).not.toEqual(OVERALL_COLOUR);
    });
    b.hypothesis.forEach((level, i) => {
      const at = plotPosition(i, 4, level, 'level');
      expect(second.rgb(at)).toEqual(criterionColour(HYPOTHESIS));
      expect(first.rgb(at)).not.toEqual(criterionColour(HYPOTHESIS));
    });
  });

  it('draws only the last 30 of 35 rounds', () => {
    // The five oldest rounds are perfect; the 30 drawn ones never score above 60.
    const overall = Array.from({ length: 35 }, (_, i) => (i < 5 ? 100 : 10 + ((i * 7) % 50)));
    const hypothesis = Array.from({ length: 35 }, (_, i) => (i < 5 ? 4 : i % 3));
    const chart = render(spec(rounds(overall, hypothesis)));
    expect(MAX_CHART_POINTS).toBe(30);
    overall.slice(5).forEach((score, i) => {
      expect(chart.rgb(plotPosition(i, 30, score, 'overall'))).toEqual(OVERALL_COLOUR);
    });
    const top = plotPosition(0, 30, 100, 'overall').y;
    expect(pixelsOf(chart, OVERALL_COLOUR).filter(({ y }) => y <= top + 10)).toEqual([]);
  });

  it('draws a single round as dots with no line', () => {
    const chart = render(spec(rounds([50], [3])));
    const dot = plotPosition(0, 1, 50, 'overall');
    expect(chart.rgb(dot)).toEqual(OVERALL_COLOUR);
    expect(chart.rgb(plotPosition(0, 1, 3, 'level'))).toEqual(criterionColour(HYPOTHESIS));
    const black = pixelsOf(chart, OVERALL_COLOUR);
    expect(black.length).toBeGreaterThan(50);
    expect(black.filter(({ x, y }) => Math.hypot(x - dot.x, y - dot.y) > 7)).toEqual([]);
  });

  it('draws the axes and "No scored rounds yet" when there are no rounds', () => {
    const chart = render(spec([]));
    expect([chart.png.width, chart.png.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    expect(pixelsOf(chart, OVERALL_COLOUR)).toEqual([]);
    const middle = Math.round((PLOT_AREA.top + PLOT_AREA.bottom) / 2);
    expect(chart.rgb({ x: PLOT_AREA.left, y: middle })).not.toEqual([255, 255, 255]);
    let ink = 0;
    for (let y = middle - 12; y <= middle + 12; y++) {
      for (let x = PLOT_AREA.left + 1; x < PLOT_AREA.right; x++) {
        if ((chart.rgb({ x, y })[0] ?? 255) < 0x80) ink++;
      }
    }
    expect(ink).toBeGreaterThan(200);
  });

  it('leaves a gap where a round has no level for a criterion', () => {
    const points = rounds([30, 30, 30], [4, 4, 4]);
    const gappy = points.map((p, i) => (i === 1 ? { ...p, levels: { framing: 0 } } : p));
    const chart = render(spec(gappy));
    expect(chart.rgb(plotPosition(0, 3, 4, 'level'))).toEqual(criterionColour(HYPOTHESIS));
    expect(chart.rgb(plotPosition(1, 3, 4, 'level'))).not.toEqual(criterionColour(HYPOTHESIS));
  });
});

describe('bitmap font', () => {
  it('writes typographic punctuation and accents as ASCII and anything else as "?"', () => {
    expect(fontText('Café — “ok” ☃')).toBe('Cafe - "ok" ?');
  });

  it('draws "A" from its glyph rows and an unknown character as "?"', () => {
    expect(glyphRows('A')).toEqual([0x00, 0x20, 0x50, 0x88, 0x88, 0xf8, 0x88, 0x88, 0x00, 0x00]);
    expect(glyphRows('☃')).toEqual(glyphRows('?'));
  });
});
