import { failureNote, fmtPct } from '../measures';
import type { ExperimentDoc, VariantResult } from '../types';
import { backboneGraph, SOURCE_EPOCHS, SOURCE_PER_DIGIT, type TaskBar } from './digitTasks';

/** What the transfer study measures per variant, on task B's validation digits after training. */
export interface TransferStudy {
  mode: string;
  labelled: number;
  accuracy: number;
  firstEpochAccuracy: number | null;
  /** Seconds of task-B training (validation excluded); the source's own training is in sourceSeconds. */
  trainSeconds: number;
  sourceSeconds: number;
  trainable: number;
  bars: TaskBar[];
}

export const transferOf = (r: VariantResult): TransferStudy | undefined => (r.study && 'labelled' in r.study ? (r.study as unknown as TransferStudy) : undefined);

/** Ten labelled images per digit: with 250 (50 per digit) scratch catches up within 10 epochs on MNIST. */
const LABELLED = 50;
const graph = backboneGraph('CNN conv16-BN-ReLU, conv32-BN-ReLU, Dense64-BN-ReLU, 5-way head');

export const transferLearning: ExperimentDoc = {
  id: 'transfer-learning',
  title: 'Transfer learning: scratch vs fine-tune vs frozen backbone (digits 0–4 → 5–9)',
  concept: 'Transfer learning / fine-tuning',
  notes: { files: ['000', '004'], section: 'domain §3 Regularization: transfer learning/fine-tuning, layer freezing, freezing BN in small models' },
  claim: 'With few labels, a backbone pretrained on a related task beats training from scratch, whether fine-tuned whole or frozen with only the layers after it trained; freezing trains fewer parameters in less time.',
  explanation:
    `The source task A is MNIST digits 0–4: a small CNN (conv 3×3 stride 2 → BN → ReLU with 16 then 32 filters, Dense 64 → BatchNorm1d → ReLU, 5-way head) trained on ${SOURCE_PER_DIGIT * 5} images for ${SOURCE_EPOCHS} epochs with Adam (once per seed; every pretrained variant copies it). ` +
    `The target task B is digits 5–9 from only ${LABELLED} labelled images (${LABELLED / 5} per digit). Four ways to learn B with a new 5-way head: from scratch (random network); fine-tune everything from A’s convolutional backbone; freeze A’s conv backbone (BN in eval mode, A’s running statistics) and train only the new Dense 64 + head; and freeze the conv backbone but leave its BN in train mode, so it normalises with B’s batch statistics and its running statistics move to B. Accuracy on 500 validation images of 5–9 after each epoch, and the training time.`,
  formula: 'scratch: θ ~ init;  fine-tune: θ ← θ_A, train θ and head;  frozen: θ = θ_A fixed, train head only;  BN train mode: y = γ(x − μ_B)/√(σ²_B + ε) + β with θ fixed',
  dataset: 'mnist',
  kind: 'trained',
  study: true,
  config: { epochs: 15, batchSize: 32, trainLimit: LABELLED, valLimit: 500, probeEvery: 0, optimizer: { name: 'adam', lr: 0.001 }, schedule: { name: 'constant' } },
  variants: [
    { id: 'scratch', name: 'From scratch', description: 'Random backbone and head, all trained on the few labels.', graph, study: { mode: 'scratch' } },
    { id: 'finetune', name: 'Fine-tune all', description: 'Task A’s conv backbone, a new Dense 64 and head, everything trained.', graph, study: { mode: 'finetune' } },
    { id: 'frozen', name: 'Frozen backbone', description: 'Task A’s conv backbone fixed (BN in eval mode), only a new Dense 64 and head trained.', graph, study: { mode: 'frozen' } },
    { id: 'frozen_bn_train', name: 'Frozen, BN in train mode', description: 'Task A’s weights fixed, BN normalising with task B’s batch statistics (running statistics updated), only a new Dense 64 and head trained.', graph, study: { mode: 'frozen_bn_train' } },
  ],
  metric: { key: 'accuracy', label: 'task B validation accuracy', better: 'higher', format: 'percent' },
  charts: ['task_accuracy', 'val_accuracy', 'train_loss'],
  estimatedSeconds: 30,
  verdict(results) {
    const s = Object.fromEntries(results.map((r) => [r.variant, transferOf(r)]));
    const perVariant = Object.fromEntries(
      results.map((r) => {
        const m = s[r.variant];
        return [r.variant, { accuracy: m?.accuracy ?? null, first_epoch_accuracy: m?.firstEpochAccuracy ?? null, train_seconds: m?.trainSeconds ?? null, trainable_params: m?.trainable ?? null }];
      }),
    );
    const { scratch, finetune, frozen } = s;
    let direction: 'supports' | 'contradicts' | 'inconclusive' = 'inconclusive';
    if (scratch && finetune && frozen) {
      const beats = finetune.accuracy > scratch.accuracy + 0.01 && frozen.accuracy > scratch.accuracy + 0.01;
      direction = beats ? 'supports' : finetune.accuracy <= scratch.accuracy && frozen.accuracy <= scratch.accuracy ? 'contradicts' : 'inconclusive';
    }
    const line = (r: VariantResult): string => {
      const m = s[r.variant];
      if (!m) return `${r.name}: ${failureNote(r) || 'not measured'}`;
      return `${r.name}: ${fmtPct(m.accuracy)} (after epoch 1 ${fmtPct(m.firstEpochAccuracy)}), ${m.trainSeconds.toFixed(1)} s, ${m.trainable.toLocaleString('en-US')} trained parameters`;
    };
    const src = results.map((r) => s[r.variant]).find((m) => m && m.sourceSeconds > 0);
    const text = `On ${scratch?.labelled ?? finetune?.labelled ?? LABELLED} labelled images of digits 5–9, ${results.map(line).join('; ')}.` + (src ? ` Task A’s backbone took ${src.sourceSeconds.toFixed(1)} s to train once.` : '');
    return {
      text,
      effect: {
        claim: 'fine-tuning and the frozen backbone both beat training from scratch by more than 1 point on the few labels',
        direction,
        detail: scratch && finetune && frozen ? `scratch ${fmtPct(scratch.accuracy)}, fine-tune ${fmtPct(finetune.accuracy)}, frozen ${fmtPct(frozen.accuracy)}${s.frozen_bn_train ? `, frozen with BN in train mode ${fmtPct(s.frozen_bn_train.accuracy)}` : ''}` : 'a variant is missing',
      },
      perVariant,
      measurements: {},
    };
  },
};
