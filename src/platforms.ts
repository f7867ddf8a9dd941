import type { Origin } from './commands/command.js';
import { MockdesignError } from './errors.js';
import type { ChatPlatform } from './ports/chat-platform.js';
import type { Surface } from './presentation/help-card.js';

/** The platform an address belongs to: the part before the first `:`. */
export function platformOf(address: string): string {
  return address.split(':', 1)[0] ?? '';
}

/** The running platforms of a process, by name; several run side by side. */
export class Platforms {
  private readonly byName = new Map<string, ChatPlatform>();

  add(platform: ChatPlatform): void {
    this.byName.set(platform.name, platform);
  }

  /** The platform that owns `address`. */
  for(address: string): ChatPlatform {
    const platform = this.find(address);
    if (!platform)
      throw new MockdesignError('no_platform', `no platform serves address "${address}"`);
    return platform;
  }

  /** The platform that owns `address`, when this process runs it. */
  find(address: string): ChatPlatform | undefined {
    return this.byName.get(platformOf(address));
  }

  /**
   * A link to the message `messageId` at `address`, where its platform makes links; undefined
   * when it makes none or fails to (a link is never worth failing an answer for).
   */
  async link(address: string, messageId: string): Promise<string | undefined> {
    return this.find(address)
      ?.permalink?.(address, messageId)
      .catch(() => undefined);
  }

  /** Where the answer to `origin` is read, so that it names commands as they are given there. */
  surfaceOf(origin: Origin): Surface {
    if (origin.platform === 'terminal') return 'terminal';
    return this.find(origin.channel)?.typedOptions ? 'slash' : 'chat';
  }
}
