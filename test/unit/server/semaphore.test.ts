// Pins the semaphore that bounds password hashing: at most `permits` holders, waiters served in
// order with urgent (root's) ones first, and a full queue refused at once instead of waiting.
import { describe, expect, it } from 'vitest';
import { Semaphore, type Release } from '../../../src/server/semaphore.ts';

describe('Semaphore', () => {
  it('lets `permits` holders in and queues the rest in arrival order', async () => {
    const sem = new Semaphore({ permits: 2, queueMax: 4 });
    const a = await sem.acquire()!;
    const b = await sem.acquire()!;
    expect(sem.active).toBe(2);
    const order: string[] = [];
    const c = sem.acquire()!.then((r) => (order.push('c'), r));
    const d = sem.acquire()!.then((r) => (order.push('d'), r));
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual([]);
    a();
    (await c)();
    b();
    (await d)();
    expect(order).toEqual(['c', 'd']);
    expect(sem.active).toBe(0);
  });

  it('refuses at once when the queue is full', async () => {
    const sem = new Semaphore({ permits: 1, queueMax: 2 });
    const held = await sem.acquire()!;
    const waiting = [sem.acquire(), sem.acquire()];
    expect(waiting.every((w) => w !== undefined)).toBe(true);
    expect(sem.acquire()).toBeUndefined();
    expect(await sem.run(async () => 'ran')).toBeUndefined();
    held();
    for (const w of waiting) (await w!)();
    expect(await sem.run(async () => 'ran')).toEqual({ value: 'ran' });
  });

  it('serves urgent waiters first, from their own queue slots', async () => {
    const sem = new Semaphore({ permits: 1, queueMax: 1 });
    const held = await sem.acquire()!;
    const order: string[] = [];
    const normal = sem.acquire()!.then((r) => (order.push('normal'), r));
    expect(sem.acquire()).toBeUndefined();
    const urgent = sem.acquire(true)!.then((r) => (order.push('urgent'), r));
    held();
    (await urgent)();
    (await normal)();
    expect(order).toEqual(['urgent', 'normal']);
  });

  it('ignores a second release of the same permit', async () => {
    const sem = new Semaphore({ permits: 1, queueMax: 1 });
    const release: Release = await sem.acquire()!;
    release();
    release();
    expect(sem.active).toBe(0);
    await sem.acquire()!;
    expect(sem.acquire()).not.toBeUndefined();
    expect(sem.active).toBe(1);
  });

  it('releases the permit when the work throws', async () => {
    const sem = new Semaphore({ permits: 1, queueMax: 0 });
    await expect(sem.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(sem.active).toBe(0);
  });
});
