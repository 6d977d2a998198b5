// Starts the TypeScript worker from source (CLI and tests run under tsx; the app uses the bundled worker).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.__entry);
