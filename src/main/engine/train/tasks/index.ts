import type { Task } from '../../../../shared/graph/types';
import { classification } from './classification';
import { detection } from './detection';
import { segmentation } from './segmentation';
import type { TaskAdapterFactory } from './types';

export const TASK_ADAPTERS: Partial<Record<Task, TaskAdapterFactory>> = { classification, detection, segmentation };
