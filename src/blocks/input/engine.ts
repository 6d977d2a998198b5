import { input as def } from './definition';
import { twin } from '../../main/engine/blocks/types';

export const input = twin(def, (ctx) => ctx.input(), { onnx: (ctx) => ctx.input(), pytorch: () => ({ forward: (_, [x]) => x }) });

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [input];
