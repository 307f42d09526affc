import { z } from 'zod';

export type ContainerHealth = 'healthy' | 'unhealthy' | 'starting' | null;

/** One container of a compose project, as the Engine API lists it. */
export interface ComposeContainer {
  id: string;
  /** Without the leading slash the API adds. */
  name: string;
  project: string;
  service: string;
  /** com.docker.compose.container-number; null when the label is missing or not a number. */
  number: number | null;
  /** created | running | paused | restarting | removing | exited | dead */
  state: string;
  /** Human text from the engine: "Up 5 minutes (healthy)". */
  status: string;
  health: ContainerHealth;
  image: string;
  imageId: string;
  /** Epoch milliseconds. */
  created: number;
  labels: Record<string, string>;
  configHash: string | null;
  composeVersion: string | null;
  workingDir: string | null;
  configFiles: string[];
}

export interface EngineVersion {
  version: string;
  apiVersion: string;
  os: string;
  arch: string;
}

export interface ImageInfo {
  id: string;
  repoDigests: string[];
  repoTags: string[];
  /** As the engine reports it (RFC 3339). */
  created: string;
}

export interface EngineClient {
  /** True when the engine answers; never throws. */
  ping(): Promise<boolean>;
  version(): Promise<EngineVersion>;
  /** Every container carrying a compose project label, all stacks in one call. */
  listComposeContainers(): Promise<ComposeContainer[]>;
  /** null when the engine has no such image. */
  inspectImage(ref: string): Promise<ImageInfo | null>;
  close(): Promise<void>;
}

// Engine responses are parsed, not trusted: missing fields become defaults, not crashes.
const Labels = z.record(z.string(), z.string()).nullish().transform((l) => l ?? {});

export const RawContainer = z.object({
  Id: z.string(),
  Names: z.array(z.string()).nullish(),
  Image: z.string().default(''),
  ImageID: z.string().default(''),
  Created: z.number().default(0),
  State: z.string().default(''),
  Status: z.string().default(''),
  Labels,
  Health: z.object({ Status: z.string().optional() }).nullish(),
});
export type RawContainer = z.infer<typeof RawContainer>;

export const RawVersion = z.object({
  Version: z.string().default(''),
  ApiVersion: z.string().default(''),
  Os: z.string().default(''),
  Arch: z.string().default(''),
});

export const RawImage = z.object({
  Id: z.string(),
  RepoDigests: z.array(z.string()).nullish(),
  RepoTags: z.array(z.string()).nullish(),
  Created: z.string().default(''),
});
