import { randomBytes } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import { AppError } from '../errors.js';
import { NAME_PATTERN } from '../intent/names.js';
import type { Sys } from '../sys/sys.js';
import { isValidPointId, RollbackPoint } from './rollback-point.js';
import type { RollbackStore } from './types.js';

/** A point is a few KB; anything much bigger is not one of ours. */
const MAX_POINT_BYTES = 1024 * 1024;

/**
 * Rollback points as JSON files: `<dataDir>/rollouts/<stack>/<id>.json`, overrides beside them as
 * `override-<id>.yaml`. Stack and id are checked against fixed patterns before they touch a path,
 * so a `--to ../../x` from a caller cannot leave the folder.
 */
export function createFileRollbackStore(dataDir: string, fs: Sys['fs']): RollbackStore {
  if (!isAbsolute(dataDir)) {
    throw new AppError('E_INTERNAL', `The rollback store needs an absolute data directory, got ${dataDir}.`);
  }
  const stackDir = (stack: string): string => {
    if (!NAME_PATTERN.test(stack)) throw new AppError('E_PARAM_INVALID', `${JSON.stringify(stack)} is not a valid stack name.`);
    return join(dataDir, 'rollouts', stack);
  };
  const checkId = (id: string): string => {
    if (!isValidPointId(id)) throw new AppError('E_PARAM_INVALID', `${JSON.stringify(id)} is not a valid rollout id.`);
    return id;
  };

  async function writeAtomic(dir: string, file: string, text: string): Promise<string> {
    await fs.mkdir(dir, { recursive: true, mode: 0o750 });
    const target = join(dir, file);
    const tmp = join(dir, `.${file}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await fs.open(tmp, 'wx', 0o640);
    try {
      await handle.writeFile(text, 'utf8');
      // Durable before it becomes visible: a crash leaves the old file or the new one, never half.
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.rename(tmp, target);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
    return target;
  }

  async function readPoint(file: string, stack: string): Promise<RollbackPoint> {
    const st = await fs.stat(file);
    if (st.size > MAX_POINT_BYTES) throw new Error(`larger than ${MAX_POINT_BYTES} bytes`);
    const parsed = RollbackPoint.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
    if (!parsed.success) throw new Error(`not a rollback point: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    if (parsed.data.stack !== stack) throw new Error(`belongs to stack ${parsed.data.stack}`);
    return parsed.data;
  }

  return {
    async save(point) {
      const valid = RollbackPoint.parse(point);
      return writeAtomic(stackDir(valid.stack), `${checkId(valid.id)}.json`, `${JSON.stringify(valid, null, 2)}\n`);
    },
    async load(stack, id) {
      const file = join(stackDir(stack), `${checkId(id)}.json`);
      try {
        return await readPoint(file, stack);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw new AppError('E_INTERNAL', `Rollback point ${file} cannot be read: ${describe(err)}.`);
      }
    },
    async list(stack) {
      const dir = stackDir(stack);
      let names: string[];
      try {
        names = await fs.readdir(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { points: [], problems: [] };
        throw err;
      }
      const points: RollbackPoint[] = [];
      const problems: Array<{ file: string; reason: string }> = [];
      for (const name of names) {
        const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
        if (!isValidPointId(id)) continue;
        const file = join(dir, name);
        try {
          points.push(await readPoint(file, stack));
        } catch (err) {
          problems.push({ file, reason: describe(err) });
        }
      }
      points.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
      return { points, problems };
    },
    async writeOverride(stack, id, yaml) {
      return writeAtomic(stackDir(stack), `override-${checkId(id)}.yaml`, yaml);
    },
  };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
