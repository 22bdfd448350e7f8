// Pins what the drainer reports per target space and source part: received and applied positions,
// shipping while a stream is open, and only spaces that changed since the last report.
import { describe, expect, it } from 'vitest';
import { ProgressBook } from '../../../../../src/engine/sync/drainer/progress-book.ts';

describe('ProgressBook', () => {
  it('reports received / applied per part, shipping while a stream is open, and only changed spaces', () => {
    const book = new ProgressBook();
    book.streamOpened('t', 3);
    book.received('t', 3, 10, 1010);
    book.applied('t', 3, 8, 1008);
    expect(book.takeChanged().get('t')).toEqual([
      { part: 3, shipping: true, acked_log_id: '8', acked_ts: '1008', received_log_id: '10', received_ts: '1010' },
    ]);
    expect(book.takeChanged().size).toBe(0);

    book.streamClosed('t', 3);
    book.applied('u', 1, 5, 1005);
    const changed = book.takeChanged();
    expect(changed.get('t')).toEqual([
      { part: 3, shipping: false, acked_log_id: '8', acked_ts: '1008', received_log_id: '10', received_ts: '1010' },
    ]);
    // A hello's answer counts as received too: nothing is lagging behind what was applied.
    expect(changed.get('u')).toEqual([
      { part: 1, shipping: false, acked_log_id: '5', acked_ts: '1005', received_log_id: '5', received_ts: '1005' },
    ]);
  });

  it('reports a space again when its report did not get through', () => {
    const book = new ProgressBook();
    book.received('t', 1, 2, 3);
    book.takeChanged();
    book.retry('t');
    expect([...book.takeChanged().keys()]).toEqual(['t']);
    book.retry('never-seen');
    expect(book.takeChanged().size).toBe(0);
  });
});
