// The liveness verdict from its witnesses: network flag, socket state, silence against the ping rhythm.
import { describe, expect, it } from 'vitest';
import { ageParts, connectionOf, LIVENESS_MS, type Witnesses } from '../../../client/src/resident/liveness.js';

const NOW = 1_000_000;
const live = (patch: Partial<Witnesses> = {}): Witnesses => ({
  online: true,
  conn: { connected: true, lastDataAt: NOW - 1000, disconnectedAt: null },
  lastPingAt: NOW - 500,
  connectedAt: NOW - 60_000,
  pingGapMs: 2500,
  cachedAt: null,
  now: NOW,
  ...patch,
});

describe('connectionOf', () => {
  it('is live while connected and heard from within the allowance', () => {
    expect(connectionOf(live())).toBe('live');
  });

  it('is offline as soon as the browser says the network is gone, whatever the socket believes', () => {
    expect(connectionOf(live({ online: false }))).toBe('offline');
  });

  it('is stale when the socket is connected but neither frames nor pings came for over 5 s (pings every 2.5 s)', () => {
    const quiet = live({
      conn: { connected: true, lastDataAt: NOW - 20_000, disconnectedAt: null },
      lastPingAt: NOW - LIVENESS_MS - 1,
    });
    expect(connectionOf(quiet)).toBe('stale');
    expect(connectionOf({ ...quiet, lastPingAt: NOW - LIVENESS_MS + 1 })).toBe('live');
  });

  it('judges silence by a slower ping rhythm when the server pings slowly, and not before two pings were seen', () => {
    const slow = live({
      conn: { connected: true, lastDataAt: NOW - 60_000, disconnectedAt: null },
      lastPingAt: NOW - 30_000,
      pingGapMs: 25_000,
    });
    expect(connectionOf(slow)).toBe('live');
    expect(connectionOf({ ...slow, lastPingAt: NOW - 38_000 })).toBe('stale');
    expect(connectionOf({ ...slow, pingGapMs: null, lastPingAt: null })).toBe('live');
  });

  it('is stale when the socket is down with data shown (live or cached), connecting before any data', () => {
    const down = { connected: false, lastDataAt: NOW - 3000, disconnectedAt: NOW - 1000 };
    expect(connectionOf(live({ conn: down }))).toBe('stale');
    expect(connectionOf(live({ conn: { ...down, lastDataAt: null } }))).toBe('connecting');
    expect(connectionOf(live({ conn: { ...down, lastDataAt: null }, cachedAt: NOW - 600_000 }))).toBe('stale');
    expect(connectionOf(live({ conn: { connected: true, lastDataAt: null, disconnectedAt: null } }))).toBe(
      'connecting',
    );
  });
});

describe('ageParts', () => {
  it('counts seconds under a minute, then minutes, then hours', () => {
    expect(ageParts(12_400)).toEqual({ unit: 's', n: 12 });
    expect(ageParts(70_000)).toEqual({ unit: 'min', n: 1 });
    expect(ageParts(2 * 3600_000 + 5)).toEqual({ unit: 'h', n: 2 });
    expect(ageParts(-50)).toEqual({ unit: 's', n: 0 });
  });
});
