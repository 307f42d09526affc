import { matchGlob } from '../policy/rbac.js';
import type { AlertEvent } from './events.js';
import type { RouteConfig } from '../config/notify-schema.js';

/**
 * The sinks an alert goes to: the union of every matching route, each sink once, in the order
 * routes name them. A route with a `stacks`/`intents` filter only matches alerts that carry that
 * attribute — a filtered route never catches an alert about nothing in particular.
 */
export function routeEvent(event: Pick<AlertEvent, 'kind' | 'stack' | 'intent'>, routes: readonly RouteConfig[]): string[] {
  const sinks: string[] = [];
  for (const route of routes) {
    if (!route.events.includes(event.kind)) continue;
    if (route.stacks && !matchesAny(route.stacks, event.stack)) continue;
    if (route.intents && !matchesAny(route.intents, event.intent)) continue;
    for (const sink of route.sinks) if (!sinks.includes(sink)) sinks.push(sink);
  }
  return sinks;
}

function matchesAny(globs: readonly string[], value: string | undefined): boolean {
  return value !== undefined && globs.some((g) => matchGlob(g, value));
}
