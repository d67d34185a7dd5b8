-- 004: signed-out sessions, recorded durably (reference-app/API.md "Sessions").
-- Sessions live in Redis and in each instance's short local cache; neither survives
-- every failure (Redis restarting empty, a lost sign-out broadcast). A sign-out is
-- therefore written here first, and an instance checks this table whenever Redis
-- cannot vouch for a session: while Redis is unreachable, and before it puts
-- sessions back into a restarted Redis. The normal path never reads it.
CREATE TABLE session_revocations (
  -- sha256 of the session id (base64url), never the id itself.
  session_hash text PRIMARY KEY,
  revoked_at   timestamptz NOT NULL DEFAULT now(),
  -- When the session would have expired anyway; rows past it are pruned.
  expires_at   timestamptz NOT NULL
);
-- Serves: SELECT session_hash FROM session_revocations WHERE revoked_at >= $1 (what to delete
-- from Redis after an outage) and the pruning of expired rows.
CREATE INDEX session_revocations_revoked_at_idx ON session_revocations (revoked_at);
