import { describe, expect, it } from 'vitest';
import { harness } from './harness.js';

const HOUR = 60 * 60_000;
const TITLE = 'Hallucination measurement in RAG';

/** A harness with an async round of three days on a known prompt running for two hours. */
async function asyncRoundRunning() {
  const h = await harness();
  const thread = await h.start({
    mode: 'async',
    minutes: 72 * 60,
    promptId: 'rag-hallucination-measurement',
  });
  await h.clock.advance(2 * HOUR);
  const link = `https://chat.test/${thread}/${thread}:root`;
  return { h, thread, link };
}

describe('practice refused while a round runs', () => {
  it('names the running round and its time left, links its thread and says both ways forward', async () => {
    const { h, link } = await asyncRoundRunning();
    const refused = await h.send({ kind: 'start', origin: h.origin, mode: 'live' });
    expect(refused.card?.kind).toBe('refusal');
    expect(refused.text).toBe(
      `You already have a round running: your async round on "${TITLE}", with 2 d 22 h left, in its thread: ${link}. ` +
        'Answer there, or say `end` in that thread to finish it and get your scorecard; then try again.',
    );
    // Nothing new was opened.
    expect(h.platform.posts.filter((p) => p.subject === 'prompt')).toHaveLength(1);
  });

  it('says the same to a drill', async () => {
    const { h, link } = await asyncRoundRunning();
    const refused = await h.send({ kind: 'drill', origin: h.origin, drill: 'risks' });
    expect(refused.text).toContain(`your async round on "${TITLE}", with 2 d 22 h left`);
    expect(refused.text).toContain(`in its thread: ${link}. Answer there, or say \`end\``);
  });

  it('gives a live round its time left on the clock, and a drill its name', async () => {
    const h = await harness();
    await h.send({ kind: 'drill', origin: h.origin, drill: 'risks' });
    await h.clock.advance(60_000);
    const refused = await h.send({ kind: 'start', origin: h.origin, mode: 'live' });
    expect(refused.text).toMatch(
      /^You already have a round running: your risks drill on "[^"]+", with 04:00 left, in its thread: https:\/\/chat\.test\//,
    );
  });

  it('asked in the round’s own thread, points at that thread as here', async () => {
    const { h, thread } = await asyncRoundRunning();
    const refused = await h.reply(thread, 'start');
    expect(refused.text).toBe(
      `You already have a round running: this async round on "${TITLE}", with 2 d 22 h left. ` +
        'Answer here, or say `end` to finish it and get your scorecard; then try again.',
    );
  });
});

describe('status outside the round’s thread', () => {
  it('names the round and links its thread', async () => {
    const { h, link } = await asyncRoundRunning();
    const status = await h.send({ kind: 'status', origin: h.origin });
    expect(status.text?.split('\n')[0]).toBe(`Your async round on "${TITLE}": ${link}`);
    expect(status.text).toMatch(/^2 h elapsed, 2 d 22 h left; no hypothesis yet; 0 replies\.$/m);
  });

  it('in the thread, says only where the round stands', async () => {
    const { h, thread } = await asyncRoundRunning();
    const status = await h.reply(thread, 'status');
    expect(status.text).not.toMatch(/chat\.test|Your async round/);
    expect(status.text?.split('\n')[0]).toMatch(/^Phase 1 of 3: Framing/);
  });
});
