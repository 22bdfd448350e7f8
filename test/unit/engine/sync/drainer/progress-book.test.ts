// Pins what the drainer reports per target space and source part: a part registered on an accepted hello at the secondary's position (so an idle partition reads ONLINE 0 / 0), received and applied positions, nothing held once its stream ends, the last failure until the part works again, and only changed spaces unless refreshed.
import { describe, expect, it } from 'vitest';
import { ProgressBook } from '../../../../../src/engine/sync/drainer/progress-book.ts';

const T0 = 1_700_000_000_000;

function book() {
  const clock = { now: T0 };
  return { clock, book: new ProgressBook(() => clock.now) };
}

describe('ProgressBook', () => {
  it('registers a part on an accepted hello with the secondary position as both received and applied', () => {
    const { clock, book: b } = book();
    b.accepted('t', 3, 8, 1008);
    clock.now += 40;
    expect(b.takeChanged().get('t')).toEqual([
      { part: 3, shipping: true, acked_log_id: '8', acked_ts: '1008', received_log_id: '8', received_ts: '1008', ok_age_ms: '40', error: null },
    ]);
    expect(b.takeChanged().size).toBe(0);
  });

  it('reports received ahead of applied while a batch is in flight, and nothing held once the stream ends', () => {
    const { book: b } = book();
    b.accepted('t', 3, 8, 1008);
    b.received('t', 3, 10, 1010);
    expect(b.takeChanged().get('t')![0]).toMatchObject({ shipping: true, acked_log_id: '8', received_log_id: '10', received_ts: '1010' });
    b.streamClosed('t', 3);
    expect(b.takeChanged().get('t')![0]).toMatchObject({ shipping: false, acked_log_id: '8', received_log_id: '8', received_ts: '1008' });
  });

  it('keeps the last failure with its count until a hello is accepted, and forgets it once a batch applies', () => {
    const { clock, book: b } = book();
    b.failed('t', 1, -5, 'SpaceNotFound: no target');
    clock.now += 1_000;
    b.failed('t', 1, -5, 'SpaceNotFound: no target');
    clock.now += 500;
    expect(b.takeChanged().get('t')![0]).toMatchObject({
      shipping: false,
      ok_age_ms: '0',
      error: { code: -5, message: 'SpaceNotFound: no target', count: '2', first_age_ms: '1500', last_age_ms: '500' },
    });
    b.accepted('t', 1, 0, 0);
    expect(b.takeChanged().get('t')![0]).toMatchObject({ shipping: true, error: null });
    b.failed('t', 1, -5, 'SpaceNotFound: again');
    expect(b.takeChanged().get('t')![0]!.error).toMatchObject({ code: -5, count: '3' });
    b.failed('t', 1, -4009, 'SchemaPending: tag 2 v1');
    expect(b.takeChanged().get('t')![0]!.error).toMatchObject({ code: -4009, count: '1' });
    b.applied('t', 1, 4, 1004);
    expect(b.takeChanged().get('t')![0]).toMatchObject({ acked_log_id: '4', error: null });
  });

  it('reports a space again when its report did not get through, and every space on a refresh', () => {
    const { book: b } = book();
    b.received('t', 1, 2, 3);
    b.accepted('u', 1, 0, 0);
    b.takeChanged();
    b.retry('t');
    expect([...b.takeChanged().keys()]).toEqual(['t']);
    b.retry('never-seen');
    expect(b.takeChanged().size).toBe(0);
    b.touchAll();
    expect([...b.takeChanged().keys()].sort()).toEqual(['t', 'u']);
  });
});
