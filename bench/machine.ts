import { cpus, loadavg, totalmem } from 'node:os';
import type { Redis } from 'ioredis';
import { serverFacts } from './redis-info.js';

/** What the figures were measured on. */
export async function machineFacts(redis: Redis) {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    redis: await serverFacts(redis),
  };
}

export type MachineFacts = Awaited<ReturnType<typeof machineFacts>>;
