-- Replies received and not yet handled, and the ids of messages already handled. One row per message id:
-- pending while `handled_at` is null (then `entry` holds the reply), handled afterwards. Sharing one key means
-- a reply handled once can never be accepted again, and an id claimed as handled is never pending.
CREATE TABLE inbox (
  workspace   text COLLATE "C" NOT NULL,
  id          text COLLATE "C" NOT NULL,
  entry       jsonb,
  received_at text COLLATE "C",
  ts          text COLLATE "C",
  accepted_at timestamptz NOT NULL DEFAULT now(),
  handled_at  timestamptz,
  PRIMARY KEY (workspace, id),
  CHECK ((handled_at IS NULL) = (entry IS NOT NULL))
);
-- Pending replies oldest first, and pruning of old handled ids.
CREATE INDEX inbox_pending ON inbox (workspace, received_at, ts) WHERE handled_at IS NULL;
CREATE INDEX inbox_handled_at ON inbox (handled_at) WHERE handled_at IS NOT NULL;
