import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { experimentsFor } from '../experiments/service';
import { sweepsFor } from '../sweeps/service';
import { RunExporter } from '../service/exports';
import { LabService } from '../service/labService';
import { recoverAtStartup } from '../service/recovery';
import { RunRegistry } from '../service/runs/registry';
import { netsmithHome } from '../util/home';
import type { AppDeps } from './app';

/**
 * The real dependencies, resolved next to the bundled main (out/main/index.js): the preload in
 * out/preload, the UI in out/renderer, or the dev server electron-vite announces in ELECTRON_RENDERER_URL.
 */
export function defaultDeps(env: NodeJS.ProcessEnv = process.env): AppDeps {
  const here = dirname(fileURLToPath(import.meta.url));
  const home = netsmithHome(env);
  const runs = new RunRegistry(join(home, 'runs'));
  // Exports go to a folder the user picks (app.ts lends the native dialog once a window exists).
  const exporter = new RunExporter({ runsDir: join(home, 'runs'), pickFolder: async () => null });
  const service = new LabService({ kind: 'electron', home, runs, experiments: experimentsFor(runs, home), sweeps: sweepsFor(runs, home), exporter });
  // Orphaned runs become `interrupted` (a run-status event tells an open window); stale temp files go.
  void recoverAtStartup({ home, projectsDir: service.projects.root, runs }).then(
    (r) => r.summary && console.log(`Netsmith: ${r.summary}`),
    (err: unknown) => console.error('Netsmith: startup recovery failed', err),
  );
  const preloadDir = join(here, '../preload');
  // A sandboxed preload must be CommonJS; electron-vite names it index.cjs or index.js by config.
  const preloadPath = ['index.cjs', 'index.js', 'index.mjs'].map((f) => join(preloadDir, f)).find((p) => existsSync(p)) ?? join(preloadDir, 'index.cjs');
  if (preloadPath.endsWith('.mjs')) {
    console.error("Netsmith: the preload was built as an ES module, which a sandboxed window cannot load: build it as CommonJS with its dependencies bundled (electron.vite.config.ts, preload: externalizeDeps: false, output.format 'cjs').");
  }
  const devUrl = env.ELECTRON_RENDERER_URL;
  return {
    service,
    home,
    projectsDir: service.projects.root,
    preloadPath,
    renderer: devUrl ? { url: devUrl } : { file: join(here, '../renderer/index.html') },
    platform: process.platform,
    devTools: Boolean(devUrl) || env.NETSMITH_DEVTOOLS === '1',
    setExportFolderPicker: (pick) => exporter.setFolderPicker(pick),
  };
}
