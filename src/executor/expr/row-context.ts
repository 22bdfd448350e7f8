/**
 * What an expression can see while it is evaluated for one row: the vertex or edge the statement
 * is looking at, the walk's source and destination vertices (resolved lazily, because most GO
 * yields never read them), the bare names of an UPDATE's row, and the clock.
 */
import type { EdgeV, Value, VertexV } from '../../value/types.ts';

export interface RowContext {
  /** FETCH PROP ON tag, UPDATE VERTEX: the vertex with the tags the statement asked for. */
  readonly vertex?: VertexV;
  /** GO, FETCH PROP ON edge, UPDATE EDGE: the edge as walked (reversed for REVERSELY). */
  readonly edge?: EdgeV;
  /** The stored edge type id of `edge`, negated when walked reversely (what `e._type` answers). */
  readonly edgeTypeId?: number;
  /** `$^`: the vertex the edge leaves, with every tag it has. */
  readonly src?: () => VertexV;
  /** `$$`: the vertex the edge reaches, with every tag it has. */
  readonly dst?: () => VertexV;
  /** Bare names: UPDATE's row props. */
  readonly names?: ReadonlyMap<string, Value>;
  /** Milliseconds since the epoch for now()/timestamp(); Date.now() when absent. */
  readonly nowMs?: number;
}

/** The context of an expression that needs no row. */
export const EMPTY_ROW: RowContext = Object.freeze({});
