import { describe, expect, it } from 'vitest';
import { clientAddress } from '@/lib/auth/client-address';

describe('clientAddress', () => {
  it('takes the rightmost entry with no trusted proxy', () => {
    expect(clientAddress('6.6.6.6, 10.0.0.5', 0)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', 0)).toBe('10.0.0.5');
  });

  it('steps one entry left per trusted proxy hop', () => {
    expect(clientAddress('6.6.6.6, 203.0.113.9, 10.0.0.2', 1)).toBe('203.0.113.9');
    expect(clientAddress('6.6.6.6, 203.0.113.9, 10.0.0.3, 10.0.0.2', 2)).toBe('203.0.113.9');
  });

  it('takes the leftmost entry when the chain is shorter than the hops', () => {
    expect(clientAddress('203.0.113.9', 3)).toBe('203.0.113.9');
  });

  it('treats IPv4-mapped IPv6 as the IPv4 address, and a missing header as one unknown client', () => {
    expect(clientAddress('::ffff:127.0.0.1', 0)).toBe('127.0.0.1');
    expect(clientAddress('2001:DB8::1', 0)).toBe('2001:db8::1');
    expect(clientAddress(undefined, 0)).toBe('unknown');
    expect(clientAddress(' , ', 0)).toBe('unknown');
  });
});
