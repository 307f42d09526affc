import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const ioModules = [
  'node:fs', 'node:fs/promises', 'fs', 'fs/promises', 'node:child_process', 'child_process',
  'node:net', 'node:http', 'node:https', 'undici', 'better-sqlite3',
];
const effectFolders = ['exec', 'docker', 'audit', 'notify', 'approval', 'sys', 'http', 'chat', 'cli', 'commands']
  .flatMap((d) => [`../${d}/*`, `../../${d}/*`]);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Benchmarks and scripts are plain Node ESM.
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The core is pure: data in, data out. I/O lives in the effect folders.
    files: ['src/intent/**/*.ts', 'src/plan/**/*.ts', 'src/policy/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ioModules.map((name) => ({ name, message: 'core modules (intent/plan/policy) must not do I/O' })),
        patterns: [{ group: effectFolders, message: 'core modules must not import effect or edge folders' }],
      }],
    },
  },
);
