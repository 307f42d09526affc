import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMemoryCatalog, GOLDEN_CASES, INTENTS, lookupStack } from '../../test/fixtures/plans/cases.js';
import { planIntent } from './plan-intent.js';
import { renderPlan } from './render.js';
import type { ComposeDialect } from './types.js';

/**
 * Golden plans pin the exact argv for both compose dialects. After an intended change,
 * regenerate with `UPDATE_GOLDEN=1 npx vitest run src/plan/plan-intent.golden.test.ts`
 * and review the diff of test/fixtures/plans/golden/.
 */
const GOLDEN_DIR = fileURLToPath(new URL('../../test/fixtures/plans/golden/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';
const catalog = createMemoryCatalog(INTENTS);

describe.each<ComposeDialect>(['v2', 'v1'])('golden plans, compose %s', (dialect) => {
  it.each(GOLDEN_CASES)('$name', (c) => {
    const plan = planIntent({ catalog, intent: c.intent, params: c.params, stacks: lookupStack, dialect });
    const actual = {
      input: { intent: c.intent, params: c.params ?? {}, dialect },
      plan,
      dryRun: renderPlan(plan).split('\n'),
    };
    const text = `${JSON.stringify(actual, null, 2)}\n`;
    const file = `${GOLDEN_DIR}${c.name}.${dialect}.json`;
    if (update) {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(file, text);
      return;
    }
    expect(existsSync(file), `missing golden ${file}; run with UPDATE_GOLDEN=1 to create it`).toBe(true);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
});
