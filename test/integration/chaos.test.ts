import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type Runtime, startRuntime } from '../../app/runtime.js';
import { postQueue, SCORING_QUEUE, TIMER_QUEUE } from '../../jobs/bullmq-scheduler.js';
import { loadLibrary } from '../../rubric/load.js';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { cardText } from '../../src/presentation/card.js';
import { HeuristicScorer } from '../../src/scoring/heuristic/heuristic-scorer.js';
import { FAULT_KINDS, faultCounts, faultKeys } from '../fakes/faulty-platform.js';
import { RecordingPlatform } from '../fakes/recording-platform.js';
import { type ListedPost, listedPosts } from '../fakes/redis-list-platform.js';
import { randomPrefix } from './redis-harness.js';
import { PersistentRedis } from './redis-server.js';

// Bounded chaos: about 60 five-minute rounds, 15 s each, started in waves over two worker
// processes posting through a platform that fails 10% of posts (503, 429, timeout), goes down
// twice, loses a worker to SIGKILL and sees Redis restarted. Every round must still get exactly
// one scorecard and no line twice. MOCKDESIGN_CHAOS_SEED picks the faults. Each worker's warnings,
// errors and faults go to a log file; a failed run prints their ends and the queues' state.

const TIME_SCALE = 0.05; // 5-minute rounds in 15 s
const ROUND_MS = 5 * 60_000 * TIME_SCALE;
const WAVES = 7;
const PER_WAVE = 9;
const WAVE_EVERY_MS = 6000;
const SEED = Number(process.env.MOCKDESIGN_CHAOS_SEED ?? 20_240_611);
const REPLIES = [
  { after: 3000, text: 'I would put the label events on Kafka and batch them into the warehouse.' },
  {
    after: 7000,
    text: 'I hypothesize that a weekly feedback loop cuts label error by 10% versus the baseline.',
  },
];

const prefix = randomPrefix();
const keys = faultKeys(prefix);
const children = new Set<ChildProcess>();
let server: PersistentRedis | undefined;
let admin: Redis | undefined;
let producer: Runtime | undefined;

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.race([producer?.stop(), sleep(5000)]);
  admin?.disconnect();
  await server?.kill();
}, 30_000);

interface Round {
  readonly id: string;
  readonly user: string;
  readonly channel: string;
  readonly thread: string;
  readonly startedAt: number;
}

describe('chaos: faults, an outage, a killed worker and a Redis restart', () => {
  it('gives every round exactly one scorecard and posts no interviewer line twice', async () => {
    const redis = await PersistentRedis.create();
    server = redis;
    const db = new Redis(redis.url, { maxRetriesPerRequest: null });
    db.on('error', () => {});
    admin = db;
    const logDir = redis.dir;
    let workers = 0;
    // Workers that stopped on their own: a fault must never bring a process down.
    const crashed: string[] = [];
    const killed = new Set<ChildProcess>();
    const startWorker = async (): Promise<ChildProcess> => {
      const n = ++workers;
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, 'chaos-process.ts')],
        {
          env: {
            PATH: process.env.PATH ?? '',
            REDIS_URL: redis.url,
            MOCKDESIGN_REDIS_PREFIX: prefix,
            MOCKDESIGN_TIME_SCALE: String(TIME_SCALE),
            MOCKDESIGN_CHAOS_SEED: String(SEED + n),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      children.add(child);
      child.once('exit', (code, signal) => {
        children.delete(child);
        if (!killed.has(child)) crashed.push(`worker ${n} exited (${signal ?? code})`);
      });
      child.stderr?.pipe(createWriteStream(join(logDir, `worker-${n}.log`)));
      const [line] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
      expect(line.toString()).toContain('ready');
      return child;
    };

    const library = await loadLibrary();
    const platform = new RecordingPlatform(systemClock, TIME_SCALE);
    producer = await startRuntime({
      config: loadConfig({
        REDIS_URL: redis.url,
        MOCKDESIGN_REDIS_PREFIX: prefix,
        MOCKDESIGN_TIME_SCALE: String(TIME_SCALE),
      }),
      library,
      scorer: new HeuristicScorer(library.rubric),
      logger: createLogger({ write: () => {} }),
      platforms: [platform],
      listen: false,
      work: false,
    });
    const runtime = producer;
    const [first] = await Promise.all([startWorker(), startWorker()]);
    console.log(`chaos seed ${SEED} (workers use ${SEED}+n); worker logs: ${logDir}`);

    const rounds: Round[] = [];
    const start = async (i: number) => {
      const user = `U${i}`;
      const channel = `test:C${i}`;
      const origin = { platform: 'test', user, channel };
      const result = await runtime.rounds.handle({
        kind: 'start',
        origin,
        mode: 'live',
        minutes: 5,
        promptId: 'alignment-feedback-loops',
      });
      const session = await runtime.store.findActive('test', user);
      if (result.failed || !session) {
        throw new Error(`round ${i} did not start: ${result.card && cardText(result.card)}`);
      }
      rounds.push({
        id: session.id,
        user,
        channel,
        thread: session.thread,
        startedAt: session.startedAt,
      });
    };
    const reply = async (round: Round, n: number) => {
      const { user, channel, thread } = round;
      const result = await runtime.rounds.handle({
        kind: 'reply',
        origin: { platform: 'test', user, channel, thread },
        messageId: `${thread}-M${n}`,
        text: REPLIES[n]?.text ?? '',
      });
      expect(result.failed, `reply ${n} in ${thread}`).toBeUndefined();
    };
    const outage = (down: boolean) => (down ? db.set(keys.outage, '1') : db.del(keys.outage));

    // The script runs in order; a step that falls due while an earlier one still runs (Redis
    // down) runs late, so the test never speaks to Redis while it is down.
    const steps: { at: number; run: () => Promise<unknown> }[] = [];
    for (let w = 0; w < WAVES; w++) {
      const wave = Array.from({ length: PER_WAVE }, (_, k) => w * PER_WAVE + k);
      steps.push({ at: w * WAVE_EVERY_MS, run: () => Promise.all(wave.map(start)) });
      REPLIES.forEach(({ after }, n) => {
        steps.push({
          at: w * WAVE_EVERY_MS + after,
          run: () =>
            Promise.all(wave.map((i) => reply(rounds.find((r) => r.user === `U${i}`) as Round, n))),
        });
      });
    }
    steps.push({ at: 7000, run: () => outage(true) });
    steps.push({ at: 11_000, run: () => outage(false) });
    steps.push({
      at: 15_500,
      run: async () => {
        killed.add(first);
        first.kill('SIGKILL');
        await once(first, 'exit');
        await startWorker();
      },
    });
    steps.push({
      at: 24_500,
      run: async () => {
        await redis.kill();
        await sleep(3000);
        await redis.start();
        await vi.waitFor(async () => expect(await runtime.redisAnswers()).toBe(true), {
          timeout: 15_000,
          interval: 200,
        });
      },
    });
    steps.push({ at: 34_000, run: () => outage(true) });
    steps.push({ at: 38_000, run: () => outage(false) });
    steps.sort((a, b) => a.at - b.at);
    const t0 = Date.now();
    for (const step of steps) {
      await sleep(t0 + step.at - Date.now());
      await step.run();
    }

    // Every round ends and is scored, and every line a round decided is confirmed posted (a line
    // left behind by a crash waits for the sweeper); then stragglers get time to land.
    const posts = () => listedPosts(db, keys.posts);
    const scorecards = (all: ListedPost[]) => all.filter((p) => p.event === 'scorecard');
    const unfinished = async () => {
      const scored = new Set(scorecards(await posts()).map((p) => p.address));
      const sessions = await Promise.all(rounds.map((r) => runtime.store.get(r.id)));
      return rounds.flatMap((r, i) => {
        const s = sessions[i];
        const left = s?.outbox.map((e) => e.key) ?? [];
        return scored.has(r.thread) && s?.status === 'done' && left.length === 0
          ? []
          : [`${r.id} ${r.thread} ${s?.status}${scored.has(r.thread) ? ' scored' : ''} ${left}`];
      });
    };
    const settled = await vi
      .waitFor(async () => expect(await unfinished()).toEqual([]), {
        timeout: 90_000,
        interval: 500,
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    if (!settled) await sleep(4000);

    const all = await posts();
    const seen = new Set<string>();
    const repeatedKeys = all.flatMap((p) => {
      if (!p.key) return [];
      if (seen.has(p.key)) return [p.key];
      seen.add(p.key);
      return [];
    });
    const repeatedEvents = rounds.flatMap((r) => {
      const events = all.filter((p) => p.address === r.thread).map((p) => p.event);
      return events.filter((e, i) => events.indexOf(e) !== i).map((e) => `${r.thread} ${e}`);
    });
    const delays = rounds.map((r) => {
      const card = all.find((p) => p.address === r.thread && p.event === 'scorecard');
      return (card?.at ?? Number.NaN) - (r.startedAt + ROUND_MS);
    });
    const scoredBeforeEnd = rounds.filter((r) => {
      const events = all.filter((p) => p.address === r.thread).map((p) => p.event);
      return events.indexOf('scorecard') < events.indexOf('end');
    });
    const faults = await faultCounts(db, prefix);
    const dropped = Number((await db.get(`${keys.posts}:dropped`)) ?? 0);
    const rows: [string, string | number][] = [
      ...FAULT_KINDS.map((k): [string, number] => [`faults: ${k}`, faults[k]]),
      ['redeliveries dropped by key', dropped],
      ['workers that stopped on their own', crashed.length],
      ['rounds', rounds.length],
      ['scorecards', scorecards(all).length],
      ['posts', all.length],
      ['duplicates', repeatedKeys.length + repeatedEvents.length],
      ['longest end → scorecard', `${(Math.max(...delays) / 1000).toFixed(1)} s`],
      ['scorecards before the end line', scoredBeforeEnd.length],
      ['whole run', `${((Date.now() - t0) / 1000).toFixed(1)} s`],
    ];
    console.log(
      ['chaos result', ...rows.map(([name, value]) => `  ${name.padEnd(32)} ${value}`)].join('\n'),
    );
    if (settled) {
      console.log(await diagnosis(redis.url, logDir, workers));
      throw settled;
    }

    expect(crashed).toEqual([]);
    expect(rounds).toHaveLength(WAVES * PER_WAVE);
    expect(scorecards(all)).toHaveLength(rounds.length);
    expect(repeatedKeys).toEqual([]);
    expect(repeatedEvents).toEqual([]);
    // The closing line before the scorecard, however the faults fell.
    expect(scoredBeforeEnd.map((r) => r.thread)).toEqual([]);
    const ended = new Set(all.filter((p) => p.event === 'end').map((p) => p.address));
    expect(rounds.filter((r) => !ended.has(r.thread)).map((r) => r.thread)).toEqual([]);
    expect(all.every((p) => rounds.some((r) => r.thread === p.address))).toBe(true);
    expect(await unfinished()).toEqual([]);
    // Some of every kind of fault hit, or the run proved less than it claims.
    for (const kind of FAULT_KINDS) expect(faults[kind], kind).toBeGreaterThan(0);
    expect(dropped).toBeGreaterThan(0);
  }, 180_000);
});

/** What a stuck run leaves behind: each queue's jobs by state, and the end of each worker's log. */
async function diagnosis(url: string, logDir: string, workers: number): Promise<string> {
  const lines: string[] = [];
  const connection = new Redis(url, { maxRetriesPerRequest: 1 });
  connection.on('error', () => {});
  for (const name of [TIMER_QUEUE, SCORING_QUEUE, postQueue('test')]) {
    const queue = new Queue(name, { connection, prefix: `{${prefix}}` });
    const counts = await queue.getJobCounts().catch((e: Error) => ({ error: e.message }));
    const active = await queue.getJobs(['active'], 0, 4).catch(() => []);
    lines.push(
      `queue ${name}: ${JSON.stringify(counts)}`,
      ...active.map((j) => `  active ${j?.id} since ${j?.processedOn} tries ${j?.attemptsStarted}`),
    );
    await queue.close();
  }
  connection.disconnect();
  for (let n = 1; n <= workers; n++) {
    const log = await readFile(join(logDir, `worker-${n}.log`), 'utf8').catch(() => '');
    const tail = log
      .trim()
      .split('\n')
      .filter((l) => !l.includes('fault injected'));
    lines.push(`worker ${n}, last lines other than faults:`, ...tail.slice(-25));
  }
  return lines.join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}
