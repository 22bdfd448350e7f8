/**
 * Writes grammar/diagrams.html, Chevrotain's railroad diagrams of the nGQL grammar, for reading
 * the language at a glance. Run with `npx tsx grammar/diagrams.ts` after changing a rule.
 */
import { writeFileSync } from 'node:fs';
import { createSyntaxDiagramsCode } from 'chevrotain';
import { ngqlParser } from './rules.ts';

const html = createSyntaxDiagramsCode(ngqlParser.getSerializedGastProductions());
writeFileSync(new URL('./diagrams.html', import.meta.url), html);
