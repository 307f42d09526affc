import type { LoadedIntent } from './schema.js';

/** A validated, cycle-free set of intents, as built by intent/catalog.ts. */
export interface IntentCatalog {
  getIntent(name: string): LoadedIntent | undefined;
  list(): LoadedIntent[];
  /** Names of the intents `name` depends on, transitively, in execution order, each once, excluding `name`. */
  dependencyOrder(name: string): string[];
}
