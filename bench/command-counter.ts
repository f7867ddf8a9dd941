import type { Redis } from 'ioredis';

/** Command counts per unit of work (per event, per job). */
export type CommandCounts = ReturnType<CommandCounter['perUnit']>;

/** Marks the session store's compare-and-set script (`redis/redis-session-store.ts`). */
const CAS_MARK = "redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')";

interface SentCommand {
  readonly name: string;
  readonly args: unknown[];
  readonly promise: Promise<unknown>;
}

/**
 * Counts the commands ioredis sends on some connections, by name, separating commands sent on
 * their own (each awaited: one round trip) from those sent inside a pipeline or MULTI. Also counts
 * compare-and-set conflicts of the session store (its script answered 0 and the update re-ran).
 */
export class CommandCounter {
  /** Commands sent on their own, by lower-case name (`evalsha` for BullMQ scripts). */
  readonly single = new Map<string, number>();
  /** Commands sent as part of a pipeline or transaction. */
  pipelined = 0;
  casAttempts = 0;
  casConflicts = 0;
  /** Commands sent on their own by tag (the timer event being handled; `-` outside one). */
  readonly byTag = new Map<string, number>();

  /** `tag` names the work a command is sent for, e.g. the timer event being handled. */
  constructor(private readonly tag: () => string | undefined = () => undefined) {}

  /** Starts counting what `redis` sends; returns `this` for chaining. */
  watch(redis: Redis): this {
    const original = redis.sendCommand.bind(redis);
    const patched = (command: SentCommand, stream?: unknown) => {
      if (stream) this.pipelined += 1;
      else {
        this.single.set(command.name, (this.single.get(command.name) ?? 0) + 1);
        const tag = this.tag() ?? '-';
        this.byTag.set(tag, (this.byTag.get(tag) ?? 0) + 1);
      }
      if (command.name === 'eval' && String(command.args[0]).includes(CAS_MARK)) {
        this.casAttempts += 1;
        command.promise.then(
          (result) => {
            if (result !== 1) this.casConflicts += 1;
          },
          () => {},
        );
      }
      return original(command as never, stream as never);
    };
    (redis as unknown as { sendCommand: typeof patched }).sendCommand = patched;
    return this;
  }

  /** Forgets everything counted so far. */
  reset(): void {
    this.single.clear();
    this.byTag.clear();
    this.pipelined = 0;
    this.casAttempts = 0;
    this.casConflicts = 0;
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
      casConflicts: Math.round((this.casConflicts / per) * 1000) / 1000,
      byCommand,
    };
  }
}
