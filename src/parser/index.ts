/**
 * The parser's public face: `parse(text)` and the header text of a YIELD expression. The AST
 * types live in `ast.ts`.
 */
export { parse } from './parse.ts';
export { exprText } from './expr-text.ts';
export type * from './ast.ts';
