/**
 * Data the drift rules work on. The rules are pure, so nothing here refers to docker/ types:
 * docker's ComposeContainer and ImageInfo satisfy these shapes structurally.
 */

export type Severity = 'error' | 'warning' | 'info';

export const FINDING_KINDS = [
  'missing_service',
  'orphan',
  'replica_mismatch',
  'config_drift',
  'unpinned_image',
  'stale_image',
  'stopped',
  'unhealthy',
  'uncommitted',
  'unmanaged',
  /** Defined for the JSON contract; needs the network, so the probe does not produce it yet. */
  'remote_update',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  stack: string;
  service?: string;
  /** Container name as the engine shows it. */
  container?: string;
  /** One sentence a person can act on. */
  message: string;
}

/** One port as compose would publish it; `published` null means "any host port". */
export interface DeclaredPort {
  hostIp: string;
  published: string | null;
  target: string;
  protocol: string;
}

/** A service as the compose file declares it, after ${VAR} interpolation. */
export interface DeclaredService {
  name: string;
  /** null when the service only has `build:` (no image to pin or compare). */
  image: string | null;
  replicas: number;
  /** null: the image's default command. */
  command: string[] | null;
  /** null value: passed through from compose's own environment, so not comparable. */
  environment: Record<string, string | null>;
  /** null when a port form is not understood (ranges): then ports are not compared. */
  ports: DeclaredPort[] | null;
  /** Container-side paths of declared volumes and binds. */
  volumeTargets: string[];
  labels: Record<string, string>;
  healthcheck: boolean;
  /** Services behind `profiles:` are not started by a plain `up`, so may be absent. */
  optional: boolean;
  /** Fields whose values still hold an unresolved `$`: never compared, to avoid false drift. */
  unresolved: string[];
}

export interface StackModel {
  name: string;
  dir: string;
  composeFile: string;
  services: DeclaredService[];
}

/** The subset of docker's ComposeContainer the rules read. */
export interface ObservedContainer {
  id: string;
  name: string;
  project: string;
  service: string;
  state: string;
  status: string;
  health: 'healthy' | 'unhealthy' | 'starting' | null;
  image: string;
  imageId: string;
  /** Epoch ms, whole seconds (the list API's resolution). */
  created: number;
  labels: Record<string, string>;
  configHash: string | null;
  composeVersion: string | null;
  workingDir: string | null;
}

/** What the local engine says a ref resolves to now. */
export interface ImageFact {
  id: string;
  repoDigests: string[];
}

/** The parts of a container inspection used to name what changed. */
export interface ContainerDetail {
  image: string;
  command: string[];
  env: string[];
  labels: Record<string, string>;
  /** "80/tcp" → bindings. */
  portBindings: Record<string, Array<{ hostIp: string; hostPort: string }>>;
  mountTargets: string[];
}

/** What is known about a stack's current definition, gathered by the probe. */
export interface DefinitionFacts {
  /** Newest mtime (epoch ms) of the compose file and env files. */
  filesChangedAt: number;
  /** Compose's own `config --hash` per service, when it was needed and worked. */
  hashes: Record<string, string> | null;
  /** Why hashes are missing although they were needed (compose failed). */
  hashError?: string;
}

export interface DriftInput {
  stacks: StackModel[];
  /** Every compose container on the engine (all projects). */
  containers: ObservedContainer[];
  /** By image ref as declared (or as the container was created from). */
  images: Record<string, ImageFact | null>;
  definitions: Record<string, DefinitionFacts>;
  /** Container id → inspection, for the containers whose hash could not settle the question. */
  details: Record<string, ContainerDetail>;
  /** Version of the local compose CLI, null when unknown. */
  localComposeVersion: string | null;
  dialect: 'v1' | 'v2';
  /** null: the stacks root is not a git repository. Else stack → changed paths. */
  git: Record<string, string[]> | null;
  /** Report only this stack (and skip projects outside the root). */
  only?: string;
  /** Also flag exact version tags that are not pinned by digest (info). */
  requireDigests?: boolean;
}
