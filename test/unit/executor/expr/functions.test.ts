// Pins the built-in functions: math, conversions, strings, NebulaGraph's hash (checked against
// libstdc++'s std::hash<std::string>), dates and times, coalesce, and the vertex/edge accessors
// together with `$^`/`$$`/`label.prop` reads, including EMPTY for a tag the vertex lacks.
import { describe, expect, it } from 'vitest';
import { evaluate, EMPTY_ROW } from '../../../../src/executor/expr/evaluate.ts';
import type { RowContext } from '../../../../src/executor/expr/row-context.ts';
import { validateExpr } from '../../../../src/executor/expr/validate.ts';
import type { Expr } from '../../../../src/parser/ast.ts';
import { EMPTY, NullType, nullOf, type EdgeV, type Value, type VertexV } from '../../../../src/value/types.ts';
import { call, lit } from './ast-builders.ts';

const ev = (e: Expr, row: RowContext = EMPTY_ROW): Value => evaluate(e, row);

describe('math and conversions', () => {
  it('computes abs, floor, ceil, round, sqrt, pow', () => {
    expect(ev(call('abs', lit(-3n)))).toBe(3n);
    expect(ev(call('abs', lit(-2.5)))).toBe(2.5);
    expect(ev(call('floor', lit(2.7)))).toBe(2);
    expect(ev(call('ceil', lit(2.1)))).toBe(3);
    expect(ev(call('round', lit(2.5)))).toBe(3);
    expect(ev(call('round', lit(-2.5)))).toBe(-3);
    expect(ev(call('sqrt', lit(16n)))).toBe(4);
    expect(ev(call('pow', lit(2n), lit(10n)))).toBe(1024n);
    expect(ev(call('pow', lit(2n), lit(64n)))).toEqual(nullOf(NullType.ERR_OVERFLOW));
    expect(ev(call('pow', lit(2.0), lit(-1n)))).toBe(0.5);
  });
  it('converts between strings and numbers', () => {
    expect(ev(call('toString', lit(1.0)))).toBe('1.0');
    expect(ev(call('toString', lit(42n)))).toBe('42');
    expect(ev(call('toInteger', lit('42')))).toBe(42n);
    expect(ev(call('toInteger', lit(3.9)))).toBe(3n);
    expect(ev(call('toInteger', lit('x')))).toBe(null);
    expect(ev(call('toFloat', lit('1.5')))).toBe(1.5);
    expect(ev(call('toFloat', lit(2n)))).toBe(2);
  });
  it('passes NULL through and answers BAD_TYPE for wrong arguments', () => {
    expect(ev(call('abs', lit(null)))).toBe(null);
    expect(ev(call('abs', lit('x')))).toEqual(nullOf(NullType.BAD_TYPE));
  });
});

describe('strings', () => {
  it('changes case and measures length', () => {
    expect(ev(call('lower', lit('AbC')))).toBe('abc');
    expect(ev(call('toLower', lit('AbC')))).toBe('abc');
    expect(ev(call('upper', lit('AbC')))).toBe('ABC');
    expect(ev(call('toUpper', lit('AbC')))).toBe('ABC');
    expect(ev(call('length', lit('abc')))).toBe(3n);
    expect(ev(call('size', { kind: 'list', items: [lit(1n), lit(2n)] }))).toBe(2n);
  });
  it('hashes strings as std::hash<std::string> does, as a signed int64', () => {
    expect(ev(call('hash', lit('')))).toBe(6142509188972423790n);
    expect(ev(call('hash', lit('a')))).toBe(4993892634952068459n);
    expect(ev(call('hash', lit('player100')))).toBe(7289597605171850056n);
    expect(ev(call('hash', lit('abcdefgh')))).toBe(8664279048047335611n);
    expect(ev(call('hash', lit('hello world!')))).toBe(6594337730806245023n);
    expect(ev(call('hash', lit(7n)))).toBe(7n);
  });
  it('coalesce answers the first non-NULL argument', () => {
    expect(ev(call('coalesce', lit(null), lit(1n), lit(2n)))).toBe(1n);
    expect(ev(call('coalesce', lit(null)))).toBe(null);
  });
});

describe('dates and times', () => {
  const row: RowContext = { nowMs: Date.UTC(2024, 1, 29, 12, 30, 15) };
  it('parses date, time and datetime strings', () => {
    expect(ev(call('date', lit('2020-01-02')))).toEqual({ kind: 'date', year: 2020, month: 1, day: 2 });
    expect(ev(call('time', lit('13:14:15.5')))).toEqual({ kind: 'time', hour: 13, minute: 14, sec: 15, microsec: 500000 });
    expect(ev(call('datetime', lit('2020-01-02T03:04:05')))).toEqual({
      kind: 'datetime', year: 2020, month: 1, day: 2, hour: 3, minute: 4, sec: 5, microsec: 0,
    });
    expect(ev(call('date', lit('2020-02-30')))).toEqual(nullOf(NullType.BAD_DATA));
  });
  it('reads the clock for now(), timestamp() and date()', () => {
    expect(ev(call('now'), row)).toBe(BigInt(Date.UTC(2024, 1, 29, 12, 30, 15) / 1000));
    expect(ev(call('timestamp'), row)).toBe(BigInt(Date.UTC(2024, 1, 29, 12, 30, 15) / 1000));
    expect(ev(call('date'), row)).toEqual({ kind: 'date', year: 2024, month: 2, day: 29 });
    expect(ev(call('timestamp', lit('1970-01-01T00:01:40')))).toBe(100n);
  });
});

describe('vertices, edges and props', () => {
  const vertex: VertexV = {
    kind: 'vertex',
    vid: 'player100',
    tags: [{ name: 'player', props: new Map<string, Value>([['name', 'Tim Duncan'], ['age', 42n]]) }],
  };
  const edge: EdgeV = {
    kind: 'edge', src: 'player101', dst: 'player100', direction: 1, name: 'follow', ranking: 0n,
    props: new Map([['degree', 95n]]),
  };
  const fetchRow: RowContext = { vertex };
  const goRow: RowContext = { edge, edgeTypeId: 3, src: () => ({ ...vertex, vid: 'player101' }), dst: () => vertex };
  const V: Expr = { kind: 'entity', entity: 'vertex' };
  const E: Expr = { kind: 'entity', entity: 'edge' };

  it('answers id, properties and tags of a vertex', () => {
    expect(ev(call('id', V), fetchRow)).toBe('player100');
    expect(ev(call('properties', V), fetchRow)).toEqual({ kind: 'map', entries: new Map<string, Value>([['name', 'Tim Duncan'], ['age', 42n]]) });
    expect(ev(call('tags', V), fetchRow)).toEqual({ kind: 'list', values: ['player'] });
    expect(ev({ kind: 'labelProp', label: 'player', prop: 'age' }, fetchRow)).toBe(42n);
    expect(ev({ kind: 'labelProp', label: 'team', prop: 'name' }, fetchRow)).toBe(EMPTY);
  });
  it('answers src, dst, rank, type and properties of an edge', () => {
    expect(ev(call('src', E), goRow)).toBe('player101');
    expect(ev(call('dst', E), goRow)).toBe('player100');
    expect(ev(call('rank', E), goRow)).toBe(0n);
    expect(ev(call('type', E), goRow)).toBe('follow');
    expect(ev(call('properties', E), goRow)).toEqual({ kind: 'map', entries: new Map([['degree', 95n]]) });
    expect(ev({ kind: 'labelProp', label: 'follow', prop: 'degree' }, goRow)).toBe(95n);
    expect(ev({ kind: 'labelProp', label: 'follow', prop: '_dst' }, goRow)).toBe('player100');
    expect(ev({ kind: 'labelProp', label: 'follow', prop: '_type' }, goRow)).toBe(3n);
  });
  it('reads $^ and $$ tag props, EMPTY for a missing tag', () => {
    expect(ev({ kind: 'dstProp', tag: 'player', prop: 'name' }, goRow)).toBe('Tim Duncan');
    expect(ev({ kind: 'srcProp', tag: 'player', prop: 'age' }, goRow)).toBe(42n);
    expect(ev({ kind: 'dstProp', tag: 'team', prop: 'name' }, goRow)).toBe(EMPTY);
    expect(ev(call('id', { kind: 'entity', entity: '$$' }), goRow)).toBe('player100');
  });
});

describe('validation', () => {
  const scope = {
    labels: new Map([['follow', { props: new Set(['degree']), isEdge: true }]]),
    vertexTags: new Map([['player', new Set(['name', 'age'])]]),
  };
  it('refuses unknown functions, wrong arity and unknown props with NebulaGraph words', () => {
    expect(validateExpr(call('nosuch'), scope)?.message).toBe("SemanticError: Function `nosuch' not defined");
    expect(validateExpr(call('abs'), scope)?.code).toBe(-1009);
    expect(validateExpr({ kind: 'srcProp', tag: 'player', prop: 'agee' }, scope)?.message).toBe(
      "SemanticError: `$^.player.agee', not found the property `agee'",
    );
    expect(validateExpr({ kind: 'labelProp', label: 'follow', prop: 'x' }, scope)?.message).toBe(
      "SemanticError: `follow.x', not found the property `x'",
    );
    expect(validateExpr({ kind: 'dstProp', tag: 'team', prop: 'name' }, scope)?.message).toBe('TagNotFound: TagName `team`');
  });
  it('accepts known names', () => {
    expect(validateExpr({ kind: 'labelProp', label: 'follow', prop: '_src' }, scope)).toBeUndefined();
    expect(validateExpr(call('abs', { kind: 'dstProp', tag: 'player', prop: 'age' }), scope)).toBeUndefined();
  });
});
