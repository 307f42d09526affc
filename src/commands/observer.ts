import type { RunObserver } from '../model.js';

/** One observer that calls each given observer in turn; a throwing observer cannot stop the others or a run. */
export function chainObservers(...observers: RunObserver[]): RunObserver {
  const call = <K extends keyof RunObserver>(key: K, args: Parameters<NonNullable<RunObserver[K]>>) => {
    for (const o of observers) {
      try {
        (o[key] as ((...a: unknown[]) => void) | undefined)?.(...args);
      } catch {
        // Observers report; they never decide. Metrics or alerts failing must not fail a run.
      }
    }
  };
  return {
    runFinished: (run) => call('runFinished', [run]),
    runRejected: (intent, code) => call('runRejected', [intent, code]),
    runPending: (run) => call('runPending', [run]),
    runStarted: (run) => call('runStarted', [run]),
  };
}
