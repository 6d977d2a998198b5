import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabService } from '../../../src/main/service/labService';
import { startServer, type RunningServer } from '../../../src/main/host/server';

export interface TestHost {
  server: RunningServer;
  service: LabService;
  base: string;
  staticDir: string;
  close(): Promise<void>;
}

/** A LabService in a temp NETSMITH_HOME behind the real server, with a tiny static UI. */
export async function startTestHost(options: { port?: number; token?: string } = {}): Promise<TestHost> {
  const home = mkdtempSync(join(tmpdir(), 'netsmith-host-'));
  const staticDir = join(home, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Netsmith test</title><div id="root"></div>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(home, 'secret.txt'), 'secret');
  const service = new LabService({ kind: 'browser', home, version: '1.2.3' });
  const server = await startServer({ api: service, version: '1.2.3', staticDir, ...options });
  return {
    server,
    service,
    base: `http://127.0.0.1:${server.port}`,
    staticDir,
    close: async () => {
      await server.close();
      await service.dispose();
    },
  };
}
