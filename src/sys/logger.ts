import type { Logger } from '../model.js';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 } as const;

/** One JSON line per entry on stderr, for CLI commands (the server uses pino through Fastify). */
export function createStderrLogger(write: (text: string) => void, level = 'warn'): Logger {
  const min = LEVELS[level as keyof typeof LEVELS] ?? LEVELS.warn;
  const emit = (lvl: keyof typeof LEVELS, obj: object, msg?: string) => {
    if (LEVELS[lvl] < min) return;
    write(JSON.stringify({ level: lvl, time: new Date().toISOString(), ...obj, ...(msg ? { msg } : {}) }) + '\n');
  };
  return {
    info: (obj, msg) => emit('info', obj, msg),
    warn: (obj, msg) => emit('warn', obj, msg),
    error: (obj, msg) => emit('error', obj, msg),
  };
}
