// Entry of a run's data-parallel worker thread (its own bundle in the app, next to runWorker.js).
import { serveReplicas } from '../backend/dataParallel/workerMain';
import { createRunReplica } from './runReplica';

serveReplicas(createRunReplica);
