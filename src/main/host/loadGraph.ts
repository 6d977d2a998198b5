import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GRAPH_FILE, isModelFolder } from '../engine/modelFolder';
import { restore } from '../../shared/graph/restore';
import type { GraphDoc, Issue } from '../../shared/graph/types';
import { templateById, TEMPLATES } from '../../shared/templates';
import type { Template } from '../../shared/templates/types';
import { CliError } from './commands/types';

/** A template id or a project/graph file, restored and validated; bad input becomes one clear CliError. */
export async function loadGraph(ref: string | undefined): Promise<{ graph: GraphDoc; notes: string[]; issues: Issue[]; source: string; template?: Template }> {
  if (!ref) throw new CliError('missing argument: a template name or a project file (see `npm run cli -- templates`)', 2);
  const template = templateById(ref);
  if (template) {
    // Templates load like any file: through restore.
    const built = restore(template.build());
    if (!built.ok) throw new CliError(`template ${template.id} does not restore: ${built.errors.map((e) => `${e.path || '(file)'}: ${e.message}`).join('; ')}`);
    return { graph: built.graph, notes: built.notes, issues: built.issues, source: `template ${template.id}`, template };
  }
  // A lab model folder (graph.json) or a run folder (run.json: the graph as trained).
  if (isModelFolder(ref)) ref = join(ref, GRAPH_FILE);
  else if (existsSync(join(ref, 'run.json'))) {
    const record = await readFile(join(ref, 'run.json'), 'utf8').then((t) => JSON.parse(t) as { graph?: unknown }, () => undefined);
    const result = restore(JSON.stringify(record?.graph ?? null));
    if (!result.ok) throw new CliError(`the run folder ${ref} has no valid graph in run.json`);
    return { graph: result.graph, notes: result.notes, issues: result.issues, source: ref };
  }
  if (!existsSync(ref)) {
    const names = TEMPLATES.map((t) => t.id).join(', ');
    throw new CliError(`'${ref}' is neither a template nor an existing file. Templates: ${names}`, 2);
  }
  let text: string;
  try {
    text = await readFile(ref, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${ref}: ${(err as Error).message}`);
  }
  const result = restore(text);
  if (!result.ok) {
    throw new CliError(`${ref} is not a valid Netsmith graph:\n${result.errors.map((e) => `  ${e.path || '(file)'}: ${e.message}`).join('\n')}`);
  }
  return { graph: result.graph, notes: result.notes, issues: result.issues, source: ref };
}
