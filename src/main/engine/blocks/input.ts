import { input as def } from '../../../shared/blocks/input';
import { twin } from './types';

export const input = twin(def, (ctx) => ctx.input(), { onnx: (ctx) => ctx.input(), pytorch: () => ({ forward: (_, [x]) => x }) });
