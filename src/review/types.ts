/**
 * The review's data model: what the git reader hands the scorers, and what the scorers return.
 * Scorers are pure functions of ReviewInput; only git-diff.ts and the commands touch the world.
 */
export const CATEGORIES = [
  'security', 'reproducibility', 'observability', 'backup_dr', 'networking', 'data_safety', 'rollback', 'docs_parity',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Readonly<Record<Category, string>> = {
  security: 'Security',
  reproducibility: 'Reproducibility',
  observability: 'Observability',
  backup_dr: 'Backup/DR',
  networking: 'Networking',
  data_safety: 'Data Safety',
  rollback: 'Rollback',
  docs_parity: 'Docs Parity',
};

export type Severity = 'high' | 'med' | 'low';
export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { high: 0, med: 1, low: 2 };

/**
 * One problem a scorer found. `cap` is a ceiling for the category score (a committed secret
 * caps Security at 0, however good the rest is); `penalty` is points off the 5.
 */
export interface Issue {
  area: Category;
  severity: Severity;
  msg: string;
  cap?: number;
  penalty?: number;
  /** What the author must do; listed under required actions for high and med issues. */
  action?: string;
}

/** A scorer's verdict on its category: problems, and what it checked and found fine. */
export interface CategoryEvidence {
  issues: Issue[];
  notes: string[];
}

export interface Finding {
  severity: Severity;
  /** A rubric category, or `model` for notes about the reviewer model itself. */
  area: Category | 'model';
  msg: string;
}

export function areaLabel(area: Category | 'model'): string {
  return area === 'model' ? 'Model' : CATEGORY_LABELS[area];
}

export interface CategoryResult {
  score: number;
  reasons: string[];
}

export interface ReviewReport {
  /** 0–100: the (weighted) average category score × 20, rounded. */
  score: number;
  block: boolean;
  findings: Finding[];
  required_actions: string[];
  categories: Record<Category, CategoryResult>;
}

// ── what the git reader produces ──────────────────────────────────────────────────────────

export type FileStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type_changed';

export interface AddedLine {
  /** 1-based line number in the head version. */
  line: number;
  text: string;
}

export interface FileChange {
  path: string;
  status: FileStatus;
  /** The path before a rename or copy. */
  oldPath?: string;
  added: AddedLine[];
  binary: boolean;
}

export interface PortFacts {
  /** Host address the port binds; null means every interface. */
  hostIp: string | null;
  /** Host port (or range); null means an ephemeral port chosen by the engine. */
  published: string | null;
  target: string;
  raw: string;
}

export interface VolumeFacts {
  type: 'bind' | 'volume' | 'tmpfs' | 'other';
  /** Host path or volume name; null for an anonymous volume. */
  source: string | null;
  target: string;
  readOnly: boolean;
  raw: string;
}

export interface ServiceFacts {
  name: string;
  /** The image as written. */
  image: string | null;
  /** The image with `${VAR:-default}` defaults applied; null when a variable has no default. */
  imageResolved: string | null;
  build: boolean;
  privileged: boolean;
  capAdd: string[];
  user: string | null;
  networkMode: string | null;
  restart: string | null;
  healthcheck: 'present' | 'disabled' | 'none';
  ports: PortFacts[];
  volumes: VolumeFacts[];
  labels: Record<string, string>;
  environment: Record<string, string | null>;
  /** Canonical JSON of the whole definition, to tell changed services from untouched ones. */
  fingerprint: string;
}

export interface ComposeFacts {
  services: ServiceFacts[];
  /** Top-level named volumes. */
  volumes: string[];
}

export type ParsedCompose = { ok: true; facts: ComposeFacts } | { ok: false; error: string };

export interface StackCompose {
  stack: string;
  /** Repository path of the compose file. */
  path: string;
  /** null when the file does not exist on that side. */
  head: ParsedCompose | null;
  base: ParsedCompose | null;
}

export type ServiceChangeKind = 'new' | 'changed' | 'unchanged' | 'removed';

export interface ServiceChange {
  stack: string;
  file: string;
  name: string;
  kind: ServiceChangeKind;
  head: ServiceFacts | null;
  base: ServiceFacts | null;
}

export interface SecretHit {
  path: string;
  line: number;
  /** Which detector saw it: `redaction-patterns`, `secretlint`, `known-secret`. Never the value. */
  detector: string;
}

export interface ReviewInput {
  files: FileChange[];
  /** Every path in the head tree (lockfile and docs presence). */
  headPaths: string[];
  composes: StackCompose[];
  /** null when no PR body was given. */
  prBody: string | null;
  secretHits: SecretHit[];
}
