/**
 * The data statements' executors, as the executor table expects them.
 */
import type { ExecutorTable } from '../types.ts';
import { deleteEdge, deleteTag, deleteVertex } from './delete.ts';
import { fetchEdges, fetchVertices } from './fetch.ts';
import { go } from './go.ts';
import { insertEdge } from './insert-edge.ts';
import { insertVertex } from './insert-vertex.ts';
import { updateEdge, updateVertex } from './update.ts';
import { yieldStatement } from './yield.ts';

/** The statement kinds this module executes: writes and reads of vertices and edges. */
export type DataKind =
  | 'InsertVertex'
  | 'InsertEdge'
  | 'DeleteVertex'
  | 'DeleteTag'
  | 'DeleteEdge'
  | 'UpdateVertex'
  | 'UpdateEdge'
  | 'FetchVertices'
  | 'FetchEdges'
  | 'Go'
  | 'Yield';

export const dataExecutors: Pick<ExecutorTable, DataKind> = {
  InsertVertex: insertVertex,
  InsertEdge: insertEdge,
  DeleteVertex: deleteVertex,
  DeleteTag: deleteTag,
  DeleteEdge: deleteEdge,
  UpdateVertex: updateVertex,
  UpdateEdge: updateEdge,
  FetchVertices: fetchVertices,
  FetchEdges: fetchEdges,
  Go: go,
  Yield: yieldStatement,
};
