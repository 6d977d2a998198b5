/**
 * The templates whose layout (module paths, tensor shapes) equals a torchvision model's, and which template a graph's
 * layout is (so "Load weights…" can offer torchvision's ImageNet weights and import a torchvision file into it).
 */
import { expandGroups } from '../graph/expand';
import type { GraphDoc } from '../graph/types';
import { templateById } from './index';

/** Template id → torchvision model name. */
export const TORCHVISION_TEMPLATES: Record<string, string> = {
  resnet18: 'resnet18',
  resnet34: 'resnet34',
  resnet50: 'resnet50',
  vgg11: 'vgg11',
  vgg16: 'vgg16',
  mobilenet_v2: 'mobilenet_v2',
  mobilenet_v3_small: 'mobilenet_v3_small',
  efficientnet_b0: 'efficientnet_b0',
  vit_b16: 'vit_b_16',
};

/** The blocks of a graph as `label:type`, groups unrolled, in document order: block parameters (class counts, input size) are left out. */
function layoutSignature(graph: GraphDoc): string {
  return expandGroups(graph)
    .nodes.map((n) => `${n.label ?? ''}:${n.type}`)
    .join('\n');
}

let signatures: Map<string, string> | undefined;

/** The torchvision-layout template whose blocks (names and types) the graph has, whatever its head's class count or input size. */
export function torchvisionLayoutOf(graph: GraphDoc): { template: string; torchvision: string; name: string } | undefined {
  signatures ??= new Map(Object.keys(TORCHVISION_TEMPLATES).map((id) => [layoutSignature(templateById(id)!.build()), id]));
  const id = signatures.get(layoutSignature(graph));
  return id ? { template: id, torchvision: TORCHVISION_TEMPLATES[id], name: templateById(id)!.name } : undefined;
}
