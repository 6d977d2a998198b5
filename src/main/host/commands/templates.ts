import { analyze } from '../../../shared/graph/analyze';
import { TEMPLATES } from '../../../shared/templates';
import { siUnits, table, withCommas } from '../format';
import { parseArgs, type Command } from './types';

export const command: Command = async (argv) => {
  const { options } = parseArgs(argv, ['json'], []);
  const rows = TEMPLATES.map((t) => {
    const { totals } = analyze(t.build());
    return { id: t.id, name: t.name, family: t.family, input: t.input, params: totals.params, flops: totals.flops };
  });
  if (options.json) {
    console.log(JSON.stringify(rows, null, 2));
    return 0;
  }
  console.log(
    table(
      [['id', 'name', 'family', 'input', 'params', 'FLOPs'], ...rows.map((r) => [r.id, r.name, r.family, r.input.join('×'), withCommas(r.params), siUnits(r.flops)])],
      [4, 5],
    ),
  );
  return 0;
};
