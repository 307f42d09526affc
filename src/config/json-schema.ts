import { z } from 'zod';
import { Config } from './schema.js';

export const CONFIG_SCHEMA_ID = 'https://oresi.dev/schema/config.json';

/** JSON Schema of oresi.yaml as authors write it (defaults optional), generated from the zod schema. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Config, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  return { ...schema, $id: CONFIG_SCHEMA_ID, title: 'oresi configuration (oresi.yaml)' };
}
