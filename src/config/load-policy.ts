import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError } from '../errors.js';
import { formatDiagnostic, parseYamlWith } from '../intent/yaml-source.js';
import { ReviewPolicyFile as PolicyFile } from '../review/review-policy-schema.js';

/** The whole policy.yaml: redaction, doc rules, review rubric and guardrails. */
export type { PolicyFile };

/** policy.yaml → validated policy, or E_CONFIG_INVALID with file:line:col for every problem. */
export async function loadPolicyFile(path: string, cwd: string): Promise<PolicyFile> {
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new AppError('E_CONFIG_INVALID', `cannot read policy file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const parsed = parseYamlWith(PolicyFile, text, file);
  if (!parsed.ok) throw new AppError('E_CONFIG_INVALID', `invalid policy:\n${parsed.errors.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`, { diagnostics: parsed.errors });
  return parsed.value.value;
}
