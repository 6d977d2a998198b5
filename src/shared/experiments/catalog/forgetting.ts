import { failureNote, fmtPct } from '../measures';
import type { ExperimentDoc, VariantResult } from '../types';
import { backboneGraph, SOURCE_EPOCHS, SOURCE_PER_DIGIT, type TaskBar } from './digitTasks';

/** What the forgetting study measures per variant: task A with its own head before and after training on task B. */
export interface ForgettingStudy {
  mode: string;
  replayImages: number;
  taskBImages: number;
  taskABefore: number;
  taskAAfter: number;
  taskB: number;
  taskAPerEpoch: number[];
  bars: TaskBar[];
}

export const forgettingOf = (r: VariantResult): ForgettingStudy | undefined => (r.study && 'taskABefore' in r.study ? (r.study as unknown as ForgettingStudy) : undefined);

const REPLAY = 0.05;
const TASK_B = 1500;
const graph = backboneGraph('CNN conv16-BN-ReLU, conv32-BN-ReLU, Dense64-BN-ReLU, head A + head B');

export const forgetting: ExperimentDoc = {
  id: 'catastrophic-forgetting',
  title: 'Catastrophic forgetting: fine-tuning on task B erases task A; freezing and replay keep it',
  concept: 'Fine-tuning without forgetting',
  notes: { files: ['000', '004'], section: 'domain §3 Regularization: transfer learning/fine-tuning, layer freezing; against forgetting: replay, EWC, distillation' },
  claim: 'After fine-tuning on task B, accuracy on task A drops; freezing the shared backbone keeps task A intact, and mixing a little task-A data into training (replay) keeps most of it while still learning B.',
  explanation:
    `Task A is MNIST digits 0–4 (a small CNN: conv 3×3 stride 2 → BN → ReLU with 16 then 32 filters, Dense 64 → BatchNorm1d → ReLU, head A), trained on ${SOURCE_PER_DIGIT * 5} images for ${SOURCE_EPOCHS} epochs. ` +
    `Task B is digits 5–9 (${TASK_B} images) with a new head B on the same backbone. Head A is never trained again, so any change in task A’s accuracy comes from the shared backbone moving. Three ways to learn B: fine-tune the backbone and head B; freeze the backbone (BN in eval mode) and train head B only; fine-tune as before but mix ${REPLAY * 100}% as many task-A images (${TASK_B * REPLAY}) into the epochs, their loss taken on head A (replay). Task A accuracy on 250 validation images before and after, task B on 250.`,
  formula: 'fine-tune: min L_B(θ, h_B);  frozen: θ fixed;  replay: min [n_B·L_B(θ, h_B) + n_A·L_A(θ, h_A)] / (n_B + n_A), n_A = 5% n_B;  forgetting = acc_A(before) − acc_A(after)',
  dataset: 'mnist',
  kind: 'trained',
  study: true,
  config: { epochs: 4, batchSize: 32, trainLimit: TASK_B, valLimit: 500, probeEvery: 0, optimizer: { name: 'adam', lr: 0.003 }, schedule: { name: 'constant' } },
  variants: [
    { id: 'finetune', name: 'Fine-tune on B', description: 'Backbone and head B trained on task B only.', graph, study: { mode: 'finetune' } },
    { id: 'frozen', name: 'Frozen backbone', description: 'Backbone fixed (BN in eval mode), only head B trained.', graph, study: { mode: 'frozen' } },
    { id: 'replay', name: `Fine-tune + ${REPLAY * 100}% task A`, description: `Fine-tuned on task B with ${REPLAY * 100}% as many task-A images mixed in (loss on head A).`, graph, study: { mode: 'replay', replay: REPLAY } },
  ],
  metric: { key: 'task_a_after', label: 'task A accuracy after training on B', better: 'higher', format: 'percent' },
  charts: ['task_accuracy', 'val_accuracy', 'train_loss'],
  estimatedSeconds: 40,
  verdict(results) {
    const s = Object.fromEntries(results.map((r) => [r.variant, forgettingOf(r)]));
    const perVariant = Object.fromEntries(
      results.map((r) => {
        const m = s[r.variant];
        return [r.variant, { task_a_before: m?.taskABefore ?? null, task_a_after: m?.taskAAfter ?? null, task_a_drop: m ? m.taskABefore - m.taskAAfter : null, task_b: m?.taskB ?? null }];
      }),
    );
    const { finetune, frozen, replay } = s;
    let direction: 'supports' | 'contradicts' | 'inconclusive' = 'inconclusive';
    if (finetune && frozen && replay) {
      const drop = (m: ForgettingStudy): number => m.taskABefore - m.taskAAfter;
      const forgets = drop(finetune) > 0.05;
      const keep = drop(frozen) < drop(finetune) - 0.03 && drop(replay) < drop(finetune) - 0.03;
      direction = forgets && keep ? 'supports' : drop(finetune) <= 0.01 ? 'contradicts' : 'inconclusive';
    }
    const line = (r: VariantResult): string => {
      const m = s[r.variant];
      if (!m) return `${r.name}: ${failureNote(r) || 'not measured'}`;
      return `${r.name}: task A ${fmtPct(m.taskABefore)} → ${fmtPct(m.taskAAfter)} (−${((m.taskABefore - m.taskAAfter) * 100).toFixed(1)} points), task B ${fmtPct(m.taskB)}`;
    };
    return {
      text: `${results.map(line).join('; ')}.`,
      effect: {
        claim: 'plain fine-tuning drops task A by more than 5 points; the frozen backbone and replay each drop it at least 3 points less',
        direction,
        detail: finetune && frozen && replay ? `task A after B: fine-tune ${fmtPct(finetune.taskAAfter)}, frozen ${fmtPct(frozen.taskAAfter)}, replay ${fmtPct(replay.taskAAfter)} (before ${fmtPct(finetune.taskABefore)}); task B: ${fmtPct(finetune.taskB)}, ${fmtPct(frozen.taskB)}, ${fmtPct(replay.taskB)}` : 'a variant is missing',
      },
      perVariant,
      measurements: { taskAPerEpoch: Object.fromEntries(results.map((r) => [r.variant, s[r.variant]?.taskAPerEpoch ?? []])) },
    };
  },
};
