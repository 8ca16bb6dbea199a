-- The engine's documents (users, threads, schedules, delivery ledger, loops): one row per document, addressed
-- like the embedded files (`users/U1.json`) within a workspace ('' in single-workspace mode).
-- COLLATE "C": paths compare byte by byte, so a prefix listing is a range scan of the primary key.
CREATE TABLE documents (
  workspace  text COLLATE "C" NOT NULL,
  path       text COLLATE "C" NOT NULL,
  data       jsonb NOT NULL,
  -- Bumped by every save: a save from a document opened at an older version is refused (optimistic concurrency).
  version    bigint NOT NULL DEFAULT 1 CHECK (version > 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace, path)
);
