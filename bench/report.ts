import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProcessShare } from './process-merge.js';
import type { SizeResult } from './timer-lateness.js';

/** The targets the timer figures are held to. */
export const TARGETS = {
  /** mockdesign's p99 lateness may be at most this multiple of bare BullMQ's in the same run. */
  p99VersusBare: 1.2,
  /** mockdesign's p99 lateness must stay under this, in ms. */
  p99BelowMs: 250,
  /** The rounds count at which the p99 targets are set. */
  p99AtRounds: 10_000,
  /** Redis memory per active round, KB (1 KB = 1024 bytes). */
  kbPerRound: 8,
} as const;

/** One target checked against one figure. */
export interface Verdict {
  readonly rounds: number;
  readonly target: string;
  readonly figure: number;
  readonly limit: number;
  readonly pass: boolean;
  /** Figure − limit when missed (in the target's unit), else 0. */
  readonly missBy: number;
  /** True where the target is set (p99 targets: at 10,000 rounds); elsewhere it is indicative. */
  readonly binding: boolean;
}

/** Checks every size's figures against the targets. */
export function verdicts(results: readonly SizeResult[]): Verdict[] {
  const list: Verdict[] = [];
  const check = (
    r: SizeResult,
    target: string,
    figure: number,
    limit: number,
    strict: boolean,
    binding: boolean,
  ) => {
    const pass = Number.isFinite(figure) && (strict ? figure < limit : figure <= limit);
    list.push({
      rounds: r.rounds,
      target,
      figure,
      limit,
      pass,
      missBy: pass ? 0 : figure - limit,
      binding,
    });
  };
  for (const r of results) {
    const atTarget = r.rounds === TARGETS.p99AtRounds;
    const limit = TARGETS.p99VersusBare * r.bare.lateness.p99;
    check(
      r,
      `p99 ≤ ${TARGETS.p99VersusBare}× bare BullMQ p99`,
      r.mockdesign.lateness.p99,
      limit,
      false,
      atTarget,
    );
    check(
      r,
      `p99 < ${TARGETS.p99BelowMs} ms`,
      r.mockdesign.lateness.p99,
      TARGETS.p99BelowMs,
      true,
      atTarget,
    );
    check(
      r,
      `≤ ${TARGETS.kbPerRound} KB/round`,
      r.memory.kbPerRound,
      TARGETS.kbPerRound,
      false,
      true,
    );
  }
  return list;
}

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '—');

/** The comparison table, with each target next to the figure it applies to. */
export function table(results: readonly SizeResult[], checks: readonly Verdict[]): string {
  const head = [
    'rounds',
    'series',
    'p50 ms',
    'p99 ms',
    'max ms',
    'events/s',
    'KB/round',
    'targets',
  ];
  const rows: string[][] = [];
  for (const r of results) {
    const mine = checks.filter((c) => c.rounds === r.rounds);
    const note = (c: Verdict) =>
      `${c.target.replace(' bare BullMQ p99', ` bare (${fmt(c.limit)})`)}: ${c.pass ? 'PASS' : `MISS by ${fmt(c.missBy, 2)}`}${c.binding ? '' : ' (indicative)'}`;
    const latency = mine
      .filter((c) => !c.target.includes('KB'))
      .map(note)
      .join('; ');
    const memory = mine
      .filter((c) => c.target.includes('KB'))
      .map(note)
      .join('; ');
    rows.push([
      r.rounds.toLocaleString('en'),
      'mockdesign events',
      fmt(r.mockdesign.lateness.p50),
      fmt(r.mockdesign.lateness.p99),
      fmt(r.mockdesign.lateness.max),
      fmt(r.mockdesign.perSecond),
      fmt(r.memory.kbPerRound, 2),
      `${latency}; ${memory}`,
    ]);
    rows.push([
      '',
      'bare BullMQ',
      fmt(r.bare.lateness.p50),
      fmt(r.bare.lateness.p99),
      fmt(r.bare.lateness.max),
      fmt(r.bare.perSecond),
      fmt(r.memory.bareKbPerRound, 2),
      '(reference: same jobs, no-op worker)',
    ]);
  }
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const right = new Set([0, 2, 3, 4, 5, 6]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const w = widths[i] ?? 0;
        return i === cells.length - 1 ? c : right.has(i) ? c.padStart(w) : c.padEnd(w);
      })
      .join('  ');
  return [line(head), line(head.map((_, i) => '-'.repeat(widths[i] ?? 0))), ...rows.map(line)].join(
    '\n',
  );
}

/** A few lines per size on where the time goes, for reading a miss. */
export function details(results: readonly SizeResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const m = r.mockdesign;
    const c = r.redisCommands.perInterviewerEvent;
    lines.push(
      `${r.rounds.toLocaleString('en')} rounds: ${m.seen}/${m.expected} events, ${m.roundsInOrder}/${r.rounds} rounds exactly in order, ${m.duplicates} duplicates, ${m.missing} missing${r.complete ? '' : ' (deadline passed)'}`,
      `  lateness split: pick-up p50 ${fmt(m.pickupLateness.p50)} / p99 ${fmt(m.pickupLateness.p99)} ms + core before post p50 ${fmt(m.coreTime.p50)} / p99 ${fmt(m.coreTime.p99)} ms; ${m.rodeAlong} events rode on a later event's job`,
      `  worker: peak ${m.peakInFlight} jobs in flight (concurrency ${r.concurrency}${r.byProcess ? ` in each of ${r.byProcess.length} processes` : ''}), all slots busy for ${fmt(m.saturatedMs / 1000)} s, peak backlog ${m.peakBacklog} due jobs not started; bare: peak ${r.bare.peakInFlight} in flight, ${fmt(r.bare.saturatedMs / 1000)} s saturated, peak backlog ${r.bare.peakBacklog}`,
      `  job time p50 ${fmt(m.jobTime.p50)} / p99 ${fmt(m.jobTime.p99)} ms; by event (lateness p50/p99 · job time p50/p99 ms): ${Object.entries(
        m.byEvent,
      )
        .map(
          ([event, f]) =>
            `${event} ${fmt(f.lateness.p50, 0)}/${fmt(f.lateness.p99, 0)} · ${fmt(f.jobTime.p50, 0)}/${fmt(f.jobTime.p99, 0)}`,
        )
        .join(', ')}`,
      `  scoring: ${m.scoringBeforeLastEnd} scoring jobs started before the last round's end line was posted`,
      `  bare lateness by the event each job mirrors (p50/p99 ms): ${Object.entries(r.bare.byEvent)
        .map(([event, f]) => `${event} ${fmt(f.p50, 0)}/${fmt(f.p99, 0)}`)
        .join(', ')}`,
      `  Redis commands per event: ${fmt(c.singleCommands, 2)} awaited one by one + ${fmt(c.pipelinedCommands, 2)} pipelined; bare: ${fmt(r.redisCommands.perBareJob.singleCommands, 2)} per job`,
      `  load: load average ${r.load.loadAverageBefore} before; this process CPU ${fmt(r.load.node.cpuPercent ?? Number.NaN)}%, event-loop utilization ${r.load.node.eventLoopUtilization} (busiest second ${r.load.node.peakEventLoopUtilization}), event-loop delay p99 ${fmt(r.load.node.eventLoopDelayMs.p99 ?? Number.NaN)} ms; redis CPU ${fmt(r.load.redisCpuPercent ?? Number.NaN)}%; main thread busy ${fmt(r.load.busyUsPerEvent.mockdesign ?? Number.NaN, 0)} µs per event, bare ${fmt(r.load.busyUsPerEvent.bare ?? Number.NaN, 0)} µs per job; peak ${m.peakPerSecond} events/s, bare ${r.bare.peakPerSecond} jobs/s`,
      `  memory per round (bytes, MEMORY USAGE): ${Object.entries(r.memory.breakdownBytes)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    if (r.byProcess) lines.push(processLine(r.byProcess));
    if (r.setup.eventsBeforeMemorySample > 0 || r.setup.slackBeforeFirstDueMs < 0) {
      lines.push(
        `  warning: set-up overlapped the events (${r.setup.eventsBeforeMemorySample} posted before the memory sample, ${fmt(r.setup.slackBeforeFirstDueMs, 0)} ms slack)`,
      );
    }
    if (r.memory.foreignKeyChange !== 0) {
      lines.push(
        `  warning: another client changed ${r.memory.foreignKeyChange} keys while memory was sampled; KB/round may include its data`,
      );
    }
    if (r.problems.count > 0) {
      lines.push(
        `  core logged ${r.problems.count} warnings/errors, e.g. ${r.problems.examples[0] ?? ''}`,
      );
    }
  }
  return lines.join('\n');
}

/** What each process did, the bench process first, e.g. `timer jobs handled 3512 / 3488`. */
function processLine(shares: readonly ProcessShare[]): string {
  const each = (of: (s: ProcessShare) => number | null) =>
    shares.map((s) => fmt(of(s) ?? Number.NaN, 0)).join(' / ');
  return `  ${shares.length} processes (this one, then its children): timer jobs handled ${each((s) => s.timerJobs)}, events posted ${each((s) => s.events)}, scorecards ${each((s) => s.scorecards)}, bare jobs ${each((s) => s.bareJobs)}; main thread busy ${each((s) => s.load.busyMs)} ms, bare ${each((s) => s.bareLoad?.busyMs ?? null)} ms; event-loop utilization ${shares.map((s) => s.load.eventLoopUtilization).join(' / ')} (busiest second ${shares.map((s) => s.load.peakEventLoopUtilization).join(' / ')})`;
}

/**
 * Writes `<name>-<ISO time>.json` and, for a full run (default sizes), `<name>-latest.json`; a
 * quick or custom run gets a `-quick`/`-custom` suffix and leaves the latest file alone.
 * Returns the paths written.
 */
export async function writeResults(
  dir: string,
  name: string,
  kind: 'full' | 'quick' | 'custom',
  data: unknown,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
  const json = `${JSON.stringify(data, null, 2)}\n`;
  const dated = join(dir, `${name}-${stamp}${kind === 'full' ? '' : `-${kind}`}.json`);
  await writeFile(dated, json);
  if (kind !== 'full') return [dated];
  const latest = join(dir, `${name}-latest.json`);
  await writeFile(latest, json);
  return [dated, latest];
}
