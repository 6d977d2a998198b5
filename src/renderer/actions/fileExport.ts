import { blockByType } from '../../shared/blocks';
import { formatShape } from '../../shared/blocks/shapeMath';
import { nodeName } from '../../shared/graph/analyze';
import { analysisOf } from '../core/analysis';
import { formatCount, formatFlops } from '../core/format';
import { slug } from '../core/project';
import { register } from './types';

/** Exports a layer summary table (Markdown): every block with its output shape, parameters and FLOPs. */
export default register('file.export', {
  perform(s, _p, ctx) {
    const { analysis } = analysisOf(s.doc);
    const byId = new Map(s.doc.nodes.map((n) => [n.id, n]));
    const rows = s.doc.nodes
      .slice()
      .sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x)
      .map((n) => {
        const info = analysis.nodes[n.id];
        const copies = info?.copies ?? 1;
        return `| ${nodeName(byId.get(n.id)!)} | ${blockByType(n.type)?.title ?? n.type} | ${info?.output ? formatShape(info.output) : '—'} | ${formatCount((info?.cost?.params ?? 0) * copies)} | ${formatFlops(info ? info.flops * copies : 0)} |`;
      });
    const t = analysis.totals;
    const md = [
      `# ${s.doc.meta.name}`,
      '',
      `Input ${s.doc.meta.input.shape.join('×')} · task ${s.doc.meta.task} · ${formatCount(t.params)} parameters · ${formatFlops(t.flops)} per sample`,
      '',
      '| Block | Type | Output | Params | FLOPs |',
      '| --- | --- | --- | ---: | ---: |',
      ...rows,
      '',
    ].join('\n');
    ctx.files.download(`${slug(s.doc.meta.name)}-summary.md`, md);
  },
});
