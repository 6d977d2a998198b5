import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserCommand, hasDisplay, headlessIntro, planStart } from '../../../scripts/startPlan.mjs';

const linux = (env: Record<string, string>, more: Partial<Parameters<typeof planStart>[0]> = {}) =>
  planStart({ platform: 'linux', env, electronPackage: true, electronBinary: '/x/electron', ...more });

describe('npm start: window or headless', () => {
  test('a display and the binary: the Electron window', () => {
    assert.deepEqual(linux({ DISPLAY: ':0' }), { action: 'electron', bin: '/x/electron' });
    assert.deepEqual(linux({ WAYLAND_DISPLAY: 'wayland-0' }), { action: 'electron', bin: '/x/electron' });
    assert.deepEqual(planStart({ platform: 'darwin', env: {}, electronPackage: true, electronBinary: '/x/Electron' }), { action: 'electron', bin: '/x/Electron' });
    assert.deepEqual(planStart({ platform: 'win32', env: {}, electronPackage: true, electronBinary: 'C:\\electron.exe' }), { action: 'electron', bin: 'C:\\electron.exe' });
  });

  test('no display on Linux: headless at once, without downloading Electron, saying why', () => {
    for (const bin of ['/x/electron', null]) {
      const plan = linux({}, { electronBinary: bin });
      assert.equal(plan.action, 'headless');
      assert.ok(plan.action === 'headless' && /No display here \(neither DISPLAY nor WAYLAND_DISPLAY is set/.test(plan.reasons[0]));
    }
    assert.equal(hasDisplay('linux', { DISPLAY: '' }), false);
    assert.equal(hasDisplay('darwin', {}), true);
  });

  test('a display but no binary: one bounded download try, then headless when it failed', () => {
    assert.deepEqual(linux({ DISPLAY: ':0' }, { electronBinary: null }), { action: 'download' });
    assert.deepEqual(linux({ DISPLAY: ':0' }, { electronBinary: null, downloadFailed: true }), {
      action: 'headless',
      reasons: ["Electron's binary is not installed and its download failed (this machine looks offline)."],
    });
    assert.deepEqual(linux({ DISPLAY: ':0', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, { electronBinary: null }), {
      action: 'headless',
      reasons: ["Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD is set)."],
    });
    const noPackage = linux({ DISPLAY: ':0' }, { electronPackage: false, electronBinary: null });
    assert.ok(noPackage.action === 'headless' && /node_modules\/electron is missing/.test(noPackage.reasons[0]));
  });

  test('the browser is opened only where there is a display', () => {
    const url = 'http://127.0.0.1:5/?token=a&b';
    assert.deepEqual(browserCommand('linux', { DISPLAY: ':0' }, url), { command: 'xdg-open', args: [url] });
    assert.equal(browserCommand('linux', {}, url), null);
    assert.equal(browserCommand('linux', { DISPLAY: ':0', NETSMITH_NO_BROWSER: '1' }, url), null);
    assert.deepEqual(browserCommand('darwin', {}, url), { command: 'open', args: [url] });
    assert.deepEqual(browserCommand('win32', {}, url), { command: 'cmd', args: ['/c', 'start', '""', 'http://127.0.0.1:5/?token=a^&b'] });
  });

  test('the headless notice: the reason, then what happens instead, in two lines', () => {
    const lines = headlessIntro(['No display here.']);
    assert.deepEqual(lines, ['npm start: No display here.', 'npm start: starting the lab headless instead (as `npm run serve` does): open the URL below in a browser.']);
  });
});
