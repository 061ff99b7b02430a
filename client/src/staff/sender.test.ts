import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryOutboxStorage, Outbox, type OutboxEntry } from './outbox.js';
import {
  BACKOFF,
  classify,
  parseRetryAfter,
  retryDelayMs,
  Sender,
  type RawAnswer,
  type SenderEvent,
} from './sender.js';
import { waitFor } from '../../../testing/wait.js';

const NOW = Date.parse('2026-11-20T08:00:00Z');
const answer = (status: number, body: unknown = null, retryAfter: string | null = null): RawAnswer => ({
  status,
  body,
  retryAfter,
});

describe('what to do with an answer', () => {
  it('when the server applied the report, then it is done', () => {
    expect(classify(answer(200, { applied: true, live: null }), NOW).kind).toBe('applied');
  });
  it('when the server kept a newer report, then it is done and shown as information', () => {
    expect(classify(answer(200, { applied: false, reason: 'outdated' }), NOW).kind).toBe('outdated');
  });
  it.each([
    [429, 'rate_limited'],
    [503, 'store_unavailable'],
    [500, 'internal'],
    [502, null],
    [408, null],
  ])('when the answer is %i, then nothing was stored and the report is retried', (status, code) => {
    const v = classify(answer(status, code ? { error: code, message: '' } : null, '3'), NOW);
    expect(v).toEqual({ kind: 'retry', reason: code ?? `http_${status}`, retryAfterMs: 3000 });
  });
  it('when there was no answer at all, then it is retried as a network failure', () => {
    expect(classify(answer(0), NOW)).toEqual({ kind: 'retry', reason: 'network', retryAfterMs: null });
  });
  it('when the token is refused, then sending stops (revoked)', () => {
    expect(classify(answer(401, { error: 'unauthorized', message: 'revoked' }), NOW).kind).toBe('revoked');
  });
  it.each([
    [400, 'observed_in_future'],
    [400, 'observed_too_old'],
    [403, 'wrong_site'],
    [404, 'unknown_site'],
    [413, 'payload_too_large'],
    [422, 'idempotency_mismatch'],
  ])('when the answer is %i %s, then the report is dropped with that reason', (status, code) => {
    expect(classify(answer(status, { error: code, message: 'why' }), NOW)).toEqual({
      kind: 'rejected',
      code,
      message: 'why',
    });
  });
});

describe('Retry-After and backoff', () => {
  it('when Retry-After is seconds or an HTTP date, then both are understood', () => {
    expect(parseRetryAfter('2', NOW)).toBe(2000);
    expect(parseRetryAfter(new Date(NOW + 5000).toUTCString(), NOW)).toBe(5000);
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });

  it('when failures repeat, then the delay doubles up to the cap, with jitter within [half, full]', () => {
    for (const [attempt, full] of [
      [1, 1000],
      [2, 2000],
      [3, 4000],
      [7, 60_000],
      [30, 60_000],
    ] as const) {
      expect(retryDelayMs(attempt, null, 0)).toBe(full / 2);
      expect(retryDelayMs(attempt, null, 1)).toBe(Math.min(full, BACKOFF.maxMs));
    }
  });

  it('when the server sent Retry-After, then the delay is never shorter than it', () => {
    for (const r of [0, 0.5, 1]) {
      expect(retryDelayMs(1, 1000, r)).toBeGreaterThanOrEqual(1000);
      expect(retryDelayMs(1, 1000, r)).toBeLessThanOrEqual(1000 + BACKOFF.baseMs);
      expect(retryDelayMs(9, 30_000, r)).toBeGreaterThanOrEqual(30_000);
    }
  });
});

describe('the sender', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function setup(answers: RawAnswer[]) {
    const outbox = new Outbox(new MemoryOutboxStorage());
    await outbox.load();
    const posted: Array<{ id: string; at: number }> = [];
    const events: SenderEvent[] = [];
    // A scripted server: answers in turn, then 200 applied for everything after.
    const post = async (e: OutboxEntry) => {
      posted.push({ id: e.report.reportId, at: Date.now() });
      return answers.shift() ?? answer(200, { applied: true, live: null });
    };
    const sender = new Sender({ outbox, post, onEvent: (e) => events.push(e), random: () => 0.5 });
    const add = (q: number) => outbox.add('s1', { reportId: `rid-${q}-xxxx`, queue: q }, Date.now());
    return { outbox, sender, posted, events, add };
  }

  it('when entries are waiting, then they are sent one at a time, oldest first, and leave the outbox', async () => {
    const s = await setup([]);
    await s.add(1);
    await s.add(2);
    await s.add(3);
    s.sender.kick();
    await waitFor(() => expect(s.outbox.entries).toHaveLength(0));
    expect(s.posted.map((p) => p.id)).toEqual(['rid-1-xxxx', 'rid-2-xxxx', 'rid-3-xxxx']);
  });

  it('when the server answers 503 with Retry-After: 1, then the same report is sent again after at least 1 s, and the next waits behind it', async () => {
    const s = await setup([answer(503, { error: 'store_unavailable' }, '1')]);
    await s.add(1);
    await s.add(2);
    s.sender.kick();
    // Not vi.waitFor: with fake timers it advances the clock, and the timing is what is tested here.
    await vi.advanceTimersByTimeAsync(0);
    expect(s.posted).toHaveLength(1);
    // A kick (e.g. the socket reconnecting) must not jump the server's Retry-After.
    s.sender.kick();
    await vi.advanceTimersByTimeAsync(999);
    expect(s.posted).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(BACKOFF.baseMs + 1);
    await waitFor(() => expect(s.outbox.entries).toHaveLength(0));
    expect(s.posted.map((p) => p.id)).toEqual(['rid-1-xxxx', 'rid-1-xxxx', 'rid-2-xxxx']);
    expect(s.posted[1]!.at - s.posted[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('when offline, then retries back off, and a kick (network back) sends at once', async () => {
    const s = await setup([answer(0), answer(0), answer(0)]);
    await s.add(1);
    s.sender.kick();
    await vi.advanceTimersByTimeAsync(750); // first retry: 1000 ms * (0.5 + 0.5 * 0.5)
    await vi.advanceTimersByTimeAsync(1500); // second: 2000 ms * 0.75
    expect(s.posted).toHaveLength(3);
    const before = s.posted.length;
    s.sender.kick();
    await waitFor(() => expect(s.outbox.entries).toHaveLength(0));
    expect(s.posted.length).toBe(before + 1);
  });

  it('when a report is refused, then it is dropped with the reason and the next one goes', async () => {
    const s = await setup([answer(400, { error: 'observed_too_old', message: 'old' })]);
    await s.add(1);
    await s.add(2);
    s.sender.kick();
    await waitFor(() => expect(s.outbox.entries).toHaveLength(0));
    expect(s.events.map((e) => e.verdict.kind)).toEqual(['rejected', 'applied']);
  });

  it('when the token is revoked, then sending stops and the outbox is kept', async () => {
    const s = await setup([answer(401, { error: 'unauthorized' })]);
    await s.add(1);
    await s.add(2);
    s.sender.kick();
    await waitFor(() => expect(s.events.map((e) => e.verdict.kind)).toEqual(['revoked']));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(s.posted).toHaveLength(1);
    expect(s.outbox.entries).toHaveLength(2);
  });

  it('when kicked many times while sending, then each report is still posted once', async () => {
    const s = await setup([]);
    for (let i = 1; i <= 5; i++) await s.add(i);
    for (let i = 0; i < 10; i++) s.sender.kick();
    await waitFor(() => expect(s.outbox.entries).toHaveLength(0));
    expect(new Set(s.posted.map((p) => p.id)).size).toBe(s.posted.length);
    expect(s.posted).toHaveLength(5);
  });
});
