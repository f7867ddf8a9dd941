import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLlm } from '../../app/llm-check.js';
import {
  type FakeOpenAI,
  type FakeOpenAIOptions,
  startFakeOpenAI,
} from '../fakes/openai/fake-openai.js';

describe('the LLM settings check at start', () => {
  let fake: FakeOpenAI | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  const server = async (options: FakeOpenAIOptions) => {
    fake = await startFakeOpenAI(options);
    return fake.baseURL;
  };
  const check = async (baseUrl: string, apiKey: string, model: string) => {
    const warnings: string[] = [];
    await checkLlm({ apiKey, baseUrl, model }, (m) => warnings.push(m));
    return warnings;
  };

  it('passes a key the server takes and a model it lists, by name or as name:latest', async () => {
    const url = await server({ apiKey: 'good', models: ['gpt-4o-mini', 'llama3:latest'] });
    expect(await check(url, 'good', 'gpt-4o-mini')).toEqual([]);
    expect(await check(url, 'good', 'llama3')).toEqual([]);
  });

  it('stops on a key the server refuses, naming OPENAI_API_KEY and never the key', async () => {
    const url = await server({ apiKey: 'good', models: ['gpt-4o-mini'] });
    const refused = check(url, 'sk-wrong-key', 'gpt-4o-mini');
    await expect(refused).rejects.toThrow(
      /^OPENAI_API_KEY: the LLM server at .* refused the key \(HTTP 401\)/,
    );
    await expect(refused).rejects.not.toThrow(/sk-wrong-key/);
  });

  it('stops on a model the server does not list, naming MOCKDESIGN_MODEL and what it lists', async () => {
    const url = await server({ models: ['gpt-4o', 'gpt-4o-mini'] });
    await expect(check(url, 'k', 'gpt-4o-mni')).rejects.toThrow(
      'MOCKDESIGN_MODEL: the LLM server at http://127.0.0.1:',
    );
    await expect(check(url, 'k', 'gpt-4o-mni')).rejects.toThrow(
      '/v1 has no model "gpt-4o-mni" (it lists gpt-4o, gpt-4o-mini); set one it serves',
    );
  });

  it('takes a server with no model list as it is', async () => {
    const url = await server({});
    expect(await check(url, 'k', 'anything')).toEqual([]);
  });

  it('only warns when nothing answers: scorecards fall back until the server is back', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise((resolve) => closed.close(resolve));
    const warnings = await check(`http://127.0.0.1:${port}/v1`, 'k', 'gpt-4o-mini');
    expect(warnings).toEqual([
      `the LLM server at http://127.0.0.1:${port}/v1 does not answer (OPENAI_BASE_URL); scorecards fall back to the heuristic until it works`,
    ]);
  });
});
