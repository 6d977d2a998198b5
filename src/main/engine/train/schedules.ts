// Schedules are pure (the renderer plots their preview): they live in src/shared/training.
export * from '../../../shared/training/schedules';
