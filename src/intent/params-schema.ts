import type { Intent } from './schema.js';
import { NAME_PATTERN } from './names.js';

/**
 * JSON Schema of the parameters a caller may supply to an intent. `services` and `stacks`
 * narrow name parameters to what exists now, so editors and chat clients can offer choices.
 */
export function paramsJsonSchema(
  intent: Intent,
  known: { services?: readonly string[]; stacks?: readonly string[] } = {},
): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [name, p] of Object.entries(intent.params)) {
    const base: Record<string, unknown> = p.description ? { description: p.description } : {};
    switch (p.type) {
      case 'integer':
        properties[name] = { ...base, type: 'integer', minimum: p.min, maximum: p.max };
        break;
      case 'enum':
        properties[name] = { ...base, type: 'string', enum: p.values };
        break;
      case 'service':
        properties[name] = { ...base, type: 'string', pattern: NAME_PATTERN.source, ...(known.services ? { enum: known.services } : {}) };
        break;
      case 'stack':
        properties[name] = { ...base, type: 'string', pattern: NAME_PATTERN.source, ...(known.stacks ? { enum: known.stacks } : {}) };
        break;
    }
    if (p.default !== undefined) (properties[name] as Record<string, unknown>).default = p.default;
    else required.push(name);
  }
  return { type: 'object', additionalProperties: false, properties, ...(required.length ? { required } : {}) };
}
