/**
 * Change notifications: everything the fake records calls `changed()`, and `waitFor` re-checks
 * its probe on each change until it holds, the timeout passes or the fake closes.
 */
import { EventEmitter } from 'node:events';
import type { WaitOptions } from './inputs.js';

/** Notifies waiters of every change the fake records, and of its closing. */
export class ChangeFeed {
  private readonly events = new EventEmitter();

  constructor() {
    this.events.setMaxListeners(0);
  }

  /** Tells waiters that something was recorded. */
  changed(): void {
    this.events.emit('change');
  }

  /** Rejects every pending `waitFor`: the fake is closing. */
  close(): void {
    this.events.emit('close');
  }

  /** Resolves with the probe's first truthy result, re-checked on every change. */
  waitFor<T>(probe: () => T | undefined | null | false, options: WaitOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const what = options.description ?? 'a condition';
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        clearTimeout(timer);
        this.events.off('change', check);
        this.events.off('close', onClose);
      };
      function check(): boolean {
        let value: T | undefined | null | false;
        try {
          value = probe();
        } catch (error) {
          finish();
          reject(error);
          return true;
        }
        if (value === undefined || value === null || value === false) return false;
        finish();
        resolve(value);
        return true;
      }
      const onClose = () => {
        finish();
        reject(new Error(`fake-discord closed while waiting for ${what}`));
      };
      if (check()) return;
      timer = setTimeout(() => {
        finish();
        reject(new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.events.on('change', check);
      this.events.on('close', onClose);
    });
  }
}
