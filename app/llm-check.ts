import { OpenAI } from 'openai';
import { APIConnectionError, APIError } from 'openai/core/error';
import type { OpenAIConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

/** Bound of the check's one request: a start waits for it. */
const CHECK_TIMEOUT_MS = 5_000;
/** Model names shown when the configured one is not among them. */
const SHOWN_MODELS = 10;

/**
 * Asks the LLM server for its models once, at start, so a configuration it can never use stops
 * the process with a line naming the variable instead of turning every scorecard into the
 * heuristic's fallback: a key the server refuses (`OPENAI_API_KEY`), a model it does not list
 * (`MOCKDESIGN_MODEL`; Ollama's `name:latest` counts as `name`). A server that does not answer
 * may be away for a moment (no answer, 429, 5xx): that is only reported through `warn`, and
 * scorecards fall back to the heuristic until it is back. A server with no model list (another
 * 4xx) is taken as it is; one that answers but not as an OpenAI-compatible server
 * (`OPENAI_BASE_URL`) stops the process.
 */
export async function checkLlm(
  openai: OpenAIConfig,
  warn: (message: string) => void,
): Promise<void> {
  const client = new OpenAI({
    apiKey: openai.apiKey,
    baseURL: openai.baseUrl,
    maxRetries: 0,
    timeout: CHECK_TIMEOUT_MS,
  });
  const server = `the LLM server at ${client.baseURL}`;
  let listed: unknown;
  try {
    listed = (await client.models.list()).data;
  } catch (error) {
    const status = error instanceof APIError ? error.status : undefined;
    if (error instanceof APIConnectionError || status === 429 || (status ?? 0) >= 500) {
      warn(
        `${server} ${status ? `answered HTTP ${status}` : 'does not answer'} (OPENAI_BASE_URL); scorecards fall back to the heuristic until it works`,
      );
      return;
    }
    if (status === 401 || status === 403) {
      throw new ConfigError(
        `OPENAI_API_KEY: ${server} refused the key (HTTP ${status}); set a key it accepts`,
      );
    }
    if (status !== undefined) return; // no model list there (404, 405): nothing to check
    throw notCompatible(server);
  }
  // Any page that is not a model list (an HTML page answering 200) reads as an empty one.
  if (!Array.isArray(listed) || listed.length === 0) throw notCompatible(server);
  const models = listed.map((m: { id?: unknown }) => String(m?.id));
  if (models.some((id) => id === openai.model || id === `${openai.model}:latest`)) return;
  const shown = models.slice(0, SHOWN_MODELS).join(', ');
  const more = models.length > SHOWN_MODELS ? `, and ${models.length - SHOWN_MODELS} more` : '';
  throw new ConfigError(
    `MOCKDESIGN_MODEL: ${server} has no model "${openai.model}" (it lists ${shown}${more}); set one it serves`,
  );
}

function notCompatible(server: string): ConfigError {
  return new ConfigError(
    `OPENAI_BASE_URL: ${server} did not answer like an OpenAI-compatible server; give its /v1 address`,
  );
}
