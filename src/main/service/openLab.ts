import { join } from 'node:path';
import type { HostInfo } from '../../shared/api';
import { experimentsFor } from '../experiments/service';
import { sweepsFor } from '../sweeps/service';
import { RunExporter, type RunExporterOptions } from './exports';
import { LabService } from './labService';
import { recoverAtStartup, type StartupRecovery } from './recovery';
import { RunRegistry } from './runs/registry';

export interface OpenLabOptions {
  kind: HostInfo['kind'];
  /** The lab's data folder (netsmithHome()). */
  home: string;
  /**
   * Where exports go: a folder the user picks (Electron; the window lends its dialog later through
   * `exporter.setFolderPicker`). Absent: under the run's folder, contents returned for download (browser host).
   */
  pickExportFolder?: RunExporterOptions['pickFolder'];
}

export interface OpenLab {
  service: LabService;
  exporter: RunExporter;
  /** Startup recovery, already under way: orphaned runs become `interrupted`, stale temp files go. */
  recovery: Promise<StartupRecovery>;
}

/** The lab's service objects, wired once for every host (the Electron app and `serve`). */
export function openLab(options: OpenLabOptions): OpenLab {
  const { home } = options;
  const runs = new RunRegistry(join(home, 'runs'));
  const exporter = new RunExporter({ runsDir: join(home, 'runs'), ...(options.pickExportFolder ? { pickFolder: options.pickExportFolder } : {}) });
  const service = new LabService({ kind: options.kind, home, runs, experiments: experimentsFor(runs, home), sweeps: sweepsFor(runs, home), exporter });
  const recovery = recoverAtStartup({ home, projectsDir: service.projects.root, runs });
  return { service, exporter, recovery };
}
