/**
 * One more process of the timers bench (`BENCH_PROCESSES` > 1), started by `rounds-children.ts`
 * with an IPC channel and its `ChildSetup` in `BENCH_CHILD_SETUP`. It runs what the bench process
 * runs beside starting the rounds, as a `mockdesign worker` process would: a rounds node whose
 * workers take due timer jobs (posting to a recording platform of its own), and a bare worker on
 * the baseline's queue. It starts no rounds and adds no bare jobs. Every `FLUSH_MS` it sends the
 * bench process what it recorded since, and it samples its load over the windows it is told of.
 * It exits once told to stop, or once the bench process is gone.
 */
import { loadLibrary } from '../rubric/load.js';
import { type BareQueue, startBareQueue } from './bare-queue.js';
import {
  type ChildBatch,
  type ChildSetup,
  type FromChild,
  SETUP_VARIABLE,
  type ToChild,
} from './child-messages.js';
import { type ProcessLoad, sampleLoad } from './load-sampler.js';
import { type HandledJob, type RoundsNode, startRoundsNode } from './rounds-node.js';

/** How often what was recorded goes to the bench process. */
const FLUSH_MS = 200;
/** After closing, the process must have exited by itself within this long. */
const EXIT_GRACE_MS = 10_000;

function send(message: FromChild): void {
  process.send?.(message);
}

/** Sends, each time, only what the node and the bare worker recorded since the last time. */
function streamer(node: RoundsNode, bare: BareQueue) {
  const sent = { events: 0, handled: 0, problems: 0, errors: 0, runs: 0, scorecards: 0 };
  let running: HandledJob[] = [];
  return {
    /** Sends a batch if anything is new; a timer job only once it is done. */
    flush(): void {
      for (let i = sent.handled; i < node.handled.length; i++)
        running.push(node.handled[i] as HandledJob);
      sent.handled = node.handled.length;
      const handled = running.filter((j) => j.doneAt > 0);
      running = running.filter((j) => j.doneAt === 0);
      const batch: ChildBatch = {
        kind: 'batch',
        events: node.platform.events.slice(sent.events),
        handled,
        scorecards: node.platform.scorecards,
        problems: [...node.problems.slice(sent.problems), ...bare.errors.slice(sent.errors)],
        bareRuns: bare.runs.slice(sent.runs),
      };
      const news =
        batch.events.length + handled.length + batch.problems.length + batch.bareRuns.length;
      if (news === 0 && batch.scorecards === sent.scorecards) return;
      Object.assign(sent, {
        events: node.platform.events.length,
        problems: node.problems.length,
        errors: bare.errors.length,
        runs: bare.runs.length,
        scorecards: batch.scorecards,
      });
      send(batch);
    },
    /** Timer jobs picked up but not done, as of the last flush. */
    running: () => running,
  };
}

async function main(setup: ChildSetup): Promise<void> {
  const library = await loadLibrary();
  const node = await startRoundsNode({
    library,
    redisUrl: setup.redisUrl,
    prefix: setup.prefix,
    timeScale: setup.timeScale,
    concurrency: setup.concurrency,
    work: true,
  });
  const bare = await startBareQueue({
    redisUrl: setup.redisUrl,
    prefix: setup.barePrefix,
    concurrency: setup.concurrency,
  });
  const stream = streamer(node, bare);
  const flushing = setInterval(() => stream.flush(), FLUSH_MS);
  let sampler: { stop(): ProcessLoad } | undefined;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(flushing);
      await node.close();
      await bare.close();
      if (process.connected) process.disconnect();
      setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
    })();
    return closing;
  };
  process.on('message', (data) => {
    const message = data as ToChild;
    if (message.kind === 'measure') {
      // As the bench process resets its counters: both at the rounds' window, the bare one's after.
      if (message.series === 'rounds') node.commands.reset();
      bare.commands.reset();
      sampler = sampleLoad();
    } else if (message.kind === 'report') {
      if (!sampler) throw new Error('rounds-child: asked for a report before any window');
      const load = sampler.stop();
      sampler = undefined;
      stream.flush();
      send({
        kind: 'report',
        load,
        running: stream.running(),
        commands: { rounds: node.commands.snapshot(), bare: bare.commands.snapshot() },
      });
    } else {
      void close();
    }
  });
  // The bench process is gone (it failed or was interrupted): nobody will read the figures.
  process.on('disconnect', () => void close());
  send({ kind: 'ready' });
}

const setup = process.env[SETUP_VARIABLE];
if (!setup || !process.send) {
  throw new Error(
    `rounds-child: started by the timers bench only (an IPC channel and ${SETUP_VARIABLE})`,
  );
}
await main(JSON.parse(setup) as ChildSetup);
