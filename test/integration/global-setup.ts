import { Redis } from 'ioredis';

/** Integration and end-to-end tests need a real Redis; fail fast with a clear line if none answers. */
export default async function setup(): Promise<void> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`integration tests need Redis at ${url} (set REDIS_URL): ${String(error)}`);
  } finally {
    redis.disconnect();
  }
}
