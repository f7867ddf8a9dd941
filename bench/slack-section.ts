import { writeResults } from './report.js';
import type { BenchSection } from './section.js';
import { benchSlackAck } from './slack-ack.js';

/** Slash-command ack latency of the real Slack app against a bare Bolt app, in one run. */
export const slackSection: BenchSection = {
  name: 'slack',
  summary: 'slash-command ack latency p50/p99, 500 signed commands at 50/s, vs a bare Bolt app',
  async run(ctx) {
    const r = await benchSlackAck({
      redisUrl: ctx.options.redisUrl,
      commands: ctx.options.quick ? 100 : 500,
      redisPrefix: `${ctx.runId}slack`,
      log: ctx.log,
    });
    const ms = (n: number) => n.toFixed(1).padStart(8);
    const row = (name: string, f: typeof r.app) =>
      `  ${name.padEnd(22)} ${ms(f.p50)} ${ms(f.p99)} ${ms(f.max)} ${String(f.errors).padStart(7)}`;
    ctx.log('');
    ctx.log(
      `slack: ${r.commands} signed /mockdesign commands at ${r.ratePerSecond}/s (start ${r.mix.start}, status ${r.mix.status}, help ${r.mix.help})`,
    );
    ctx.log('  app                      p50 ms   p99 ms   max ms  errors');
    ctx.log(row('mockdesign', r.app));
    ctx.log(row('bare Bolt (ack only)', r.bare));
    ctx.log(
      `  p99 ratio ${r.p99Ratio.toFixed(2)} (target ≤ ${r.target}): ${r.pass ? 'PASS' : 'MISS'}`,
    );
    const kind = ctx.options.quick ? 'quick' : 'full';
    for (const path of await writeResults(ctx.options.resultsDir, 'slack', kind, r))
      ctx.log(`  wrote ${path}`);
  },
};
