import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Bare Node built-ins are matched by exact name (a pattern like 'util' would also match './util').
const nodeBuiltinNames = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'url', 'stream', 'util', 'events'];
const nodeBuiltins = ['node:*'];
// A block unit's engine side (src/blocks/<unit>/engine.ts, layer.ts, the generated twin list) needs tfjs.
const blockEngines = ['**/blocks/*/engine', '**/blocks/*/engine.ts', '**/blocks/*/layer', '**/blocks/*/layer.ts', '**/engines.generated', '**/engines.generated.ts'];
// The files of src/blocks that run in the main process only; the rest of a unit (definition.ts and its helpers) is renderer-safe.
const blockEngineFiles = ['src/blocks/*/engine.ts', 'src/blocks/*/layer.ts', 'src/blocks/engines.generated.ts', 'src/blocks/generate.ts'];
// A unit's tests (src/blocks/<unit>/<unit>.test.ts) and test contract (contract.ts: pinned params, contract cases)
// run under node:test like tests/**; no bundle imports them.
const blockTestFiles = ['src/blocks/**/*.test.ts', 'src/blocks/*/contract.ts'];
const blockTestOnly = ['**/blocks/*/contract', '**/blocks/*/contract.ts', '**/blocks/**/*.test', '**/blocks/**/*.test.ts'];
const restrict = (patterns, message, names = []) => ({
  'no-restricted-imports': ['error', { paths: names.map((name) => ({ name, message })), patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'runs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
  },
  // Layering (see docs/ARCHITECTURE.md): shared is pure; only src/main/electron imports electron.
  {
    files: ['src/shared/**', 'src/blocks/**'],
    ignores: [...blockEngineFiles, ...blockTestFiles],
    rules: restrict([...nodeBuiltins, 'electron', '@tensorflow/*', 'react', 'react-dom', '**/main/**', '**/renderer/**', '**/preload/**', ...blockEngines, ...blockTestOnly], 'src/shared is pure TypeScript: no Node, DOM, tfjs, electron or imports from other layers.', nodeBuiltinNames),
  },
  {
    files: ['src/shared/**', 'src/blocks/**'],
    ignores: [...blockEngineFiles, ...blockTestFiles],
    languageOptions: { globals: {} },
    rules: { 'no-restricted-globals': ['error', 'window', 'document', 'process', 'require', 'Buffer'] },
  },
  {
    files: ['src/renderer/**'],
    rules: restrict([...nodeBuiltins, 'electron', '@tensorflow/*', '**/main/**', '**/preload/index*', ...blockEngines, ...blockTestOnly], 'The renderer talks to the host only through LabApi (src/shared/api.ts).', nodeBuiltinNames),
  },
  {
    files: ['src/main/**', 'src/blocks/**', 'src/preload/**', 'tests/**', 'bench/**', 'scripts/**'],
    ignores: ['src/main/electron/**', 'src/preload/**', 'tests/unit/electron/**'],
    rules: restrict(['electron'], 'Only src/main/electron (and the preload) import electron.'),
  },
  // The engine (compile, train, export, predict) knows nothing of the service layer (projects, runs, the lab's API)
  // that drives it.
  {
    files: ['src/main/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only src/main/electron (and the preload) import electron.' }],
          patterns: [
            {
              regex: '/service/',
              message: 'src/main/engine must not import src/main/service: the service calls the engine, never the other way round.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/preload/**'],
    rules: restrict(['**/main/**', '**/renderer/**', '@tensorflow/*'], 'The preload only bridges LabApi.'),
  },
);
