// What `npm start` does on this machine: open the Electron window, try to download Electron's binary first, or
// start the lab headless (the `npm run serve` host) and say why no window opens. Pure: scripts/start.mjs acts on it.

/** Linux needs an X11 or Wayland display for a window; macOS and Windows always have one. */
export function hasDisplay(platform, env) {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * @param {{ platform: string; env: Record<string, string | undefined>; electronPackage: boolean; electronBinary: string | null; downloadFailed?: boolean }} s
 * @returns {{ action: 'electron'; bin: string } | { action: 'download' } | { action: 'headless'; reasons: string[] }}
 */
export function planStart(s) {
  if (!hasDisplay(s.platform, s.env)) {
    return { action: 'headless', reasons: ['No display here (neither DISPLAY nor WAYLAND_DISPLAY is set, e.g. an SSH session or a container), so no window can open.'] };
  }
  if (!s.electronPackage) return { action: 'headless', reasons: ['Electron is not installed (node_modules/electron is missing; `npm install` installs it).'] };
  if (s.electronBinary) return { action: 'electron', bin: s.electronBinary };
  if (!s.downloadFailed && !s.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { action: 'download' };
  return {
    action: 'headless',
    reasons: [
      s.downloadFailed
        ? "Electron's binary is not installed and its download failed (this machine looks offline)."
        : "Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD is set).",
    ],
  };
}

/**
 * The command that opens `url` in the default browser, or null where there is none to open (no display, or
 * NETSMITH_NO_BROWSER set).
 * @returns {{ command: string; args: string[] } | null}
 */
export function browserCommand(platform, env, url) {
  if (env.NETSMITH_NO_BROWSER || !hasDisplay(platform, env)) return null;
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url.replace(/&/g, '^&')] };
  return { command: 'xdg-open', args: [url] };
}

/** The lines `npm start` prints (stderr) before starting the headless host. */
export function headlessIntro(reasons) {
  return [...reasons.map((r) => `npm start: ${r}`), 'npm start: starting the lab headless instead (as `npm run serve` does): open the URL below in a browser.'];
}
