/**
 * The one expiry timer behind live sync and socket.io connections: a session or token expiring
 * further away than `setTimeout` can wait (about 24.8 days) still ends its connections on time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { armExpiry, MAX_TIMER_MS } from '../../server/src/auth/expiry.js';

const DAY_MS = 24 * 3600 * 1000;
const START = new Date('2026-03-01T08:00:00.000Z');

describe('armExpiry', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires once, exactly when an expiry 30 days away (past the longest timer) passes, and not before', () => {
    expect(30 * DAY_MS).toBeGreaterThan(MAX_TIMER_MS);
    const expiresAt = new Date(START.getTime() + 30 * DAY_MS).toISOString();
    const onExpired = vi.fn();
    armExpiry(expiresAt, onExpired);

    // Past the longest single timer: it re-arms rather than fires or gives up.
    vi.advanceTimersByTime(MAX_TIMER_MS + 1000);
    expect(onExpired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(30 * DAY_MS - (MAX_TIMER_MS + 1000) - 1);
    expect(onExpired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onExpired).toHaveBeenCalledTimes(1);
    expect(Date.now()).toBe(Date.parse(expiresAt));

    vi.advanceTimersByTime(90 * DAY_MS);
    expect(onExpired).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fires at an expiry a year away, across many re-armed timers', () => {
    const expiresAt = new Date(START.getTime() + 365 * DAY_MS).toISOString();
    const onExpired = vi.fn();
    armExpiry(expiresAt, onExpired);
    vi.advanceTimersByTime(365 * DAY_MS - 1);
    expect(onExpired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onExpired).toHaveBeenCalledTimes(1);
  });

  it('never fires once cancelled, before or after a re-arm', () => {
    const expiresAt = new Date(START.getTime() + 30 * DAY_MS).toISOString();
    const cancelledEarly = vi.fn();
    armExpiry(expiresAt, cancelledEarly)();
    const cancelledAfterRearm = vi.fn();
    const cancel = armExpiry(expiresAt, cancelledAfterRearm);
    vi.advanceTimersByTime(MAX_TIMER_MS + 1000);
    cancel();
    cancel();
    vi.advanceTimersByTime(60 * DAY_MS);
    expect(cancelledEarly).not.toHaveBeenCalled();
    expect(cancelledAfterRearm).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fires at once, on the next tick, for an expiry already past', () => {
    const onExpired = vi.fn();
    armExpiry(new Date(START.getTime() - 1000).toISOString(), onExpired);
    // Not synchronously: the caller finishes setting up its connection first.
    expect(onExpired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(0);
    expect(onExpired).toHaveBeenCalledTimes(1);
  });

  it('never fires for a missing or unreadable expiry', () => {
    const onExpired = vi.fn();
    for (const expiresAt of [null, '', 'not a date', '2026-13-45T99:00:00Z']) armExpiry(expiresAt, onExpired);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(400 * DAY_MS);
    expect(onExpired).not.toHaveBeenCalled();
  });

  it('does not hold the process open while it waits', () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    armExpiry(new Date(START.getTime() + DAY_MS).toISOString(), () => {});
    const timer = setTimeoutSpy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    setTimeoutSpy.mockRestore();
  });
});
