import type { Redis } from 'ioredis';

/** Command counts per unit of work (per event, per job). */
export type CommandCounts = ReturnType<CommandCounter['perUnit']>;

/** Raw counts, as plain data: what another process sends so its counts can be added up here. */
export interface CommandSnapshot {
  readonly single: Record<string, number>;
  readonly pipelined: number;
}

interface SentCommand {
  readonly name: string;
}

/**
 * Counts the commands ioredis sends on some connections, by name, separating commands sent on
 * their own (each awaited: one round trip) from those sent inside a pipeline or MULTI.
 */
export class CommandCounter {
  /** Commands sent on their own, by lower-case name (`evalsha` for BullMQ scripts). */
  readonly single = new Map<string, number>();
  /** Commands sent as part of a pipeline or transaction. */
  pipelined = 0;

  /** Starts counting what `redis` sends; returns `this` for chaining. */
  watch(redis: Redis): this {
    const original = redis.sendCommand.bind(redis);
    const patched = (command: SentCommand, stream?: unknown) => {
      if (stream) this.pipelined += 1;
      else this.single.set(command.name, (this.single.get(command.name) ?? 0) + 1);
      return original(command as never, stream as never);
    };
    (redis as unknown as { sendCommand: typeof patched }).sendCommand = patched;
    return this;
  }

  /** Forgets everything counted so far. */
  reset(): void {
    this.single.clear();
    this.pipelined = 0;
  }

  /** The counts so far, as plain data. */
  snapshot(): CommandSnapshot {
    return { single: Object.fromEntries(this.single), pipelined: this.pipelined };
  }

  /** Adds counts another counter took (another process's); returns `this` for chaining. */
  add(counts: CommandSnapshot): this {
    for (const [name, n] of Object.entries(counts.single))
      this.single.set(name, (this.single.get(name) ?? 0) + n);
    this.pipelined += counts.pipelined;
    return this;
  }

  /** Commands sent on their own, in total. */
  get singles(): number {
    let total = 0;
    for (const n of this.single.values()) total += n;
    return total;
  }

  /** The counts as plain data, each divided by `per` (e.g. per event). */
  perUnit(per: number) {
    const byCommand: Record<string, number> = {};
    for (const [name, n] of [...this.single].sort((a, b) => b[1] - a[1]))
      byCommand[name] = Math.round((n / per) * 100) / 100;
    return {
      singleCommands: Math.round((this.singles / per) * 100) / 100,
      pipelinedCommands: Math.round((this.pipelined / per) * 100) / 100,
      byCommand,
    };
  }
}
