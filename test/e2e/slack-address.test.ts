import { describe, expect, it } from 'vitest';
import {
  decodeSlackAddress,
  decodeSlackThread,
  encodeSlackAddress,
} from '../../adapters/slack/address.js';

describe('Slack addresses', () => {
  it.each([
    [{ team: 'T1', channel: 'C1', threadTs: '1700000000.000100' }, 'slack:T1:C1:1700000000.000100'],
    [{ team: 'T0FAKETEAM', channel: 'G0PRIVATE' }, 'slack:T0FAKETEAM:G0PRIVATE'],
    [{ team: 'E0GRID', channel: 'D0DM', threadTs: '1.2' }, 'slack:E0GRID:D0DM:1.2'],
  ])('round-trips %o as %s', (parts, address) => {
    expect(encodeSlackAddress(parts)).toBe(address);
    expect(decodeSlackAddress(address)).toEqual(parts);
    expect(encodeSlackAddress(decodeSlackAddress(address))).toBe(address);
  });

  it.each([
    'discord:G1:THREAD1',
    'slack:T1',
    'slack::C1',
    'slack:T1:C1:not-a-ts',
    'slack:T1:C1:1700000000.000100:extra',
    'slack:T 1:C1',
  ])('rejects %s', (address) => {
    expect(() => decodeSlackAddress(address)).toThrow('not a Slack address');
  });

  it('refuses to encode parts that would not split back, and a channel where a thread is needed', () => {
    expect(() => encodeSlackAddress({ team: 'T:1', channel: 'C1' })).toThrow();
    expect(() => encodeSlackAddress({ team: 'T1', channel: 'C1', threadTs: '17:00' })).toThrow();
    expect(() => decodeSlackThread('slack:T1:C1')).toThrow('not a Slack thread address');
    expect(decodeSlackThread('slack:T1:C1:1.5')).toEqual({
      team: 'T1',
      channel: 'C1',
      threadTs: '1.5',
    });
  });
});
