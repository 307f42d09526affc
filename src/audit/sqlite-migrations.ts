import type Database from 'better-sqlite3';

/**
 * Schema migrations, applied in order inside one IMMEDIATE transaction. Index i upgrades from
 * version i to i + 1. Never edit a shipped migration: add a new one.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    type TEXT NOT NULL,
    run_id TEXT,
    actor TEXT,
    ip TEXT,
    data TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX events_run_id ON events (run_id, seq);
  -- Defence in depth only: whoever can drop these can edit the file, and then the hash chain
  -- (plus an external checkpoint) is what tells.
  CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;
  CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END;
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    intent TEXT NOT NULL,
    stack TEXT NOT NULL,
    state TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    source TEXT NOT NULL,
    reason TEXT,
    params TEXT NOT NULL,
    plan_hash TEXT NOT NULL,
    plan TEXT NOT NULL,
    steps TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT
  );
  CREATE INDEX runs_created ON runs (created_at DESC, id DESC);
  CREATE INDEX runs_state ON runs (state);
  INSERT INTO meta (key, value) VALUES ('heartbeat', '');
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The schema version recorded in the file; 0 for a new, empty database. */
export function readSchemaVersion(db: Database.Database): number {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  if (!hasMeta) return 0;
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
  return row ? Number(row.value) : 0;
}

/** Brings the file up to SCHEMA_VERSION; returns the version found before. */
export function migrate(db: Database.Database): number {
  const run = db.transaction(() => {
    const from = readSchemaVersion(db);
    if (from > SCHEMA_VERSION) {
      throw new Error(`schema version ${from} is newer than this oresi supports (${SCHEMA_VERSION})`);
    }
    for (let version = from; version < SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version] as string);
    }
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .run(String(SCHEMA_VERSION));
    return from;
  });
  return run.immediate();
}
