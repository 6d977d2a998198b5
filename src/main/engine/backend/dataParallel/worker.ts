// Entry of a data-parallel worker whose replica builder is imported by path
// (ReplicaSpec.module); see workerMain.ts.
import { serveReplicas } from './workerMain';

serveReplicas();
