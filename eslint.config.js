import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const ioModules = [
  'node:fs', 'node:fs/promises', 'fs', 'fs/promises', 'node:child_process', 'child_process',
  'node:net', 'node:http', 'node:https', 'undici', 'better-sqlite3',
];
// The core may import the core, the shared vocabulary, errors, canonical JSON and the config
// schemas (pure zod); every other folder of src/ is outside it by default, including new ones.
const outsideCore = String.raw`^(?:\.\./)+(?!(?:intent|plan|policy)/|(?:model|errors|canonical-json)\.js$|config/[a-z-]*schema\.js$)`;

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
        patterns: [{ regex: outsideCore, message: 'core modules (intent/plan/policy) import only the core, model.ts, errors.ts, canonical-json.ts and config schemas' }],
      }],
    },
  },
);
