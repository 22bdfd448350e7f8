// Pins nebula-console's output byte for byte: the seed's own tables, every value kind as a cell,
// the three footers with and without timing, and error lines.
import { describe, expect, it } from 'vitest';
import { formatGoDuration } from '../../../src/console/duration.ts';
import { formatFloat, formatValue } from '../../../src/console/format-value.ts';
import { formatResult } from '../../../src/console/format.ts';
import type { ExecutionResponse } from '../../../src/server/graph-handler.ts';
import { EMPTY, listOf, mapOf, NullType, nullOf, type DataSet, type Value, type VertexV } from '../../../src/value/types.ts';

const ok = (data?: DataSet, latencyUs = 1234): ExecutionResponse => ({
  errorCode: 0,
  latencyUs,
  spaceName: 'basketballplayer',
  ...(data ? { data } : {}),
});
const untimed = (resp: ExecutionResponse): string => formatResult(resp, 0, { timing: false });
const seed = (text: string): string => `${text.replace(/^\n/, '').replace(/\n {2}/g, '\n').replace(/^ {2}/, '')}`;

const tim: VertexV = {
  kind: 'vertex',
  vid: 'player100',
  tags: [{ name: 'player', props: new Map<string, Value>([['name', 'Tim Duncan'], ['age', 42n]]) }],
};

describe('seed tables', () => {
  it('prints SHOW STATS exactly as the seed shows it', () => {
    const data: DataSet = {
      columns: ['Type', 'Name', 'Count'],
      rows: [
        ['Tag', 'player', 2n],
        ['Edge', 'follow', 1n],
        ['Space', 'vertices', 2n],
        ['Space', 'edges', 1n],
      ],
    };
    expect(untimed(ok(data))).toBe(
      seed(`
  +---------+------------+-------+
  | Type    | Name       | Count |
  +---------+------------+-------+
  | "Tag"   | "player"   | 2     |
  | "Edge"  | "follow"   | 1     |
  | "Space" | "vertices" | 2     |
  | "Space" | "edges"    | 1     |
  +---------+------------+-------+
  Got 4 rows
`),
    );
  });

  it('prints the FETCH properties map with sorted keys', () => {
    const props = mapOf([
      ['name', 'Tim Duncan'],
      ['age', 42n],
    ]);
    expect(untimed(ok({ columns: ['properties(VERTEX)'], rows: [[props]] }))).toBe(
      seed(`
  +-------------------------------+
  | properties(VERTEX)            |
  +-------------------------------+
  | {age: 42, name: "Tim Duncan"} |
  +-------------------------------+
  Got 1 rows
`),
    );
  });

  it('prints the GO dst(EDGE) column', () => {
    expect(untimed(ok({ columns: ['dst(EDGE)'], rows: [['player100']] }))).toBe(
      seed(`
  +-------------+
  | dst(EDGE)   |
  +-------------+
  | "player100" |
  +-------------+
  Got 1 rows
`),
    );
  });

  it('prints SHOW LISTENER SYNC hosts with their quotes unescaped', () => {
    const out = untimed(ok({ columns: ['Host'], rows: [['"192.168.10.103":9569']] }));
    expect(out.split('\n')[3]).toBe('| ""192.168.10.103":9569" |');
  });
});

describe('cells', () => {
  const cases: [string, Value, string][] = [
    ['string', 'Tim Duncan', '"Tim Duncan"'],
    ['int', -42n, '-42'],
    ['int64 max', 2n ** 63n - 1n, '9223372036854775807'],
    ['whole float', 1, '1.0'],
    ['float', 3.14, '3.14'],
    ['large float', 1e21, '1.0e+21'],
    ['bool', true, 'true'],
    ['null', null, '__NULL__'],
    ['BAD_TYPE null', nullOf(NullType.BAD_TYPE), 'BAD_TYPE'],
    ['DIV_BY_ZERO null', nullOf(NullType.DIV_BY_ZERO), 'DIV_BY_ZERO'],
    ['empty', EMPTY, '__EMPTY__'],
    ['date', { kind: 'date', year: 2020, month: 1, day: 1 }, '2020-01-01'],
    ['time', { kind: 'time', hour: 12, minute: 0, sec: 0, microsec: 0 }, '12:00:00.000000'],
    [
      'datetime',
      { kind: 'datetime', year: 2020, month: 1, day: 1, hour: 12, minute: 0, sec: 0, microsec: 5 },
      '2020-01-01T12:00:00.000005',
    ],
    ['vertex', tim, '("player100" :player{age: 42, name: "Tim Duncan"})'],
    ['vertex without tags', { kind: 'vertex', vid: 7n, tags: [] }, '(7)'],
    [
      'edge',
      {
        kind: 'edge',
        src: 'player101',
        dst: 'player100',
        direction: 1,
        name: 'follow',
        ranking: 0n,
        props: new Map([['degree', 95n]]),
      },
      '[:follow "player101"->"player100" @0 {degree: 95}]',
    ],
    ['list', listOf([1n, 2n]), '[1, 2]'],
    ['set', { kind: 'set', values: ['a'] }, '{"a"}'],
    ['map', mapOf([['b', 1.5], ['a', null]]), '{a: __NULL__, b: 1.5}'],
    [
      'path',
      {
        kind: 'path',
        src: tim,
        steps: [{ dst: { kind: 'vertex', vid: 'player101', tags: [] }, direction: 1, name: 'follow', ranking: 0n, props: new Map() }],
      },
      '<("player100" :player{age: 42, name: "Tim Duncan"})-[:follow@0 {}]->("player101")>',
    ],
  ];
  it.each(cases)('%s', (_name, value, text) => {
    expect(formatValue(value)).toBe(text);
  });

  it('formats floats like Go: shortest digits, exponent from 1e6 on, always a point', () => {
    expect([0, 0.1, 123456.5, 1234567, 1e-5, -2.5].map(formatFloat)).toEqual([
      '0.0',
      '0.1',
      '123456.5',
      '1.234567e+06',
      '1.0e-05',
      '-2.5',
    ]);
  });
});

describe('footers and errors', () => {
  it('says Empty set for columns without rows and prints no table', () => {
    expect(untimed(ok({ columns: ['Name'], rows: [] }))).toBe('Empty set\n');
  });

  it('says Execution succeeded when there is no data', () => {
    expect(untimed(ok())).toBe('Execution succeeded\n');
  });

  it('adds the server latency and client round trip as Go durations', () => {
    expect(formatResult(ok(undefined, 1234), 2500, { timing: true })).toBe('Execution succeeded (time spent 1.234ms/2.5ms)\n');
    expect(formatResult(ok({ columns: ['a'], rows: [] }, 512), 1_500_000, { timing: true })).toBe(
      'Empty set (time spent 512µs/1.5s)\n',
    );
    expect(formatResult(ok({ columns: ['a'], rows: [[1n]] }, 3), 40, { timing: true }).split('\n').at(-2)).toBe(
      'Got 1 rows (time spent 3µs/40µs)',
    );
  });

  it('prints an error with its code and message', () => {
    const resp: ExecutionResponse = {
      errorCode: -1004,
      latencyUs: 0,
      spaceName: '',
      errorMsg: "SyntaxError: syntax error near `SELEC'",
    };
    expect(formatResult(resp, 10, { timing: true })).toBe("[ERROR (-1004)]: SyntaxError: syntax error near `SELEC'\n");
  });
});

describe('Go durations', () => {
  it('matches time.Duration.String()', () => {
    expect([0, 850, 1000, 512_000, 1_234_000, 1_500_000_000, 123_500_000_000, 3_600_000_000_000].map(formatGoDuration)).toEqual([
      '0s',
      '850ns',
      '1µs',
      '512µs',
      '1.234ms',
      '1.5s',
      '2m3.5s',
      '1h0m0s',
    ]);
  });
});
