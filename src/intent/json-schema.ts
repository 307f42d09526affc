import { z } from 'zod';
import { INTENT_API_VERSION, Intent } from './schema.js';

export const INTENT_SCHEMA_ID = 'https://oresi.dev/schema/intent-v1.json';

/**
 * JSON Schema of what authors write (the input shape: defaults are optional), for editors and
 * `oresi intents schema`. Generated from the zod schema so the two cannot drift.
 */
export function intentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Intent, { io: 'input', target: 'draft-2020-12' });
  return {
    ...schema,
    $id: INTENT_SCHEMA_ID,
    title: `oresi intent (${INTENT_API_VERSION})`,
  };
}
