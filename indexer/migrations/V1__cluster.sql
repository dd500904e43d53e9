-- Cluster mode: PostgreSQL is the store of record for everything.

-- Published resources: the Markdown file text as a corpus would hold it,
-- under its path in the corpus (export writes it back there).
CREATE TABLE resources (
    id          TEXT PRIMARY KEY,
    path        TEXT NOT NULL UNIQUE,
    markdown    TEXT NOT NULL,
    hash        TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- Every version a resource had; NULL markdown marks a deletion.
CREATE TABLE resource_revisions (
    id          TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    markdown    TEXT,
    seq         BIGINT NOT NULL,
    changed_at  BIGINT NOT NULL,
    PRIMARY KEY (id, revision)
);

-- The change log's head. Writers take the next number by updating this one
-- row, whose lock they hold until commit: numbers are handed out in commit
-- order with no gaps, so a replica that applied n has seen everything up to n.
CREATE TABLE change_head (
    one  BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    seq  BIGINT NOT NULL
);
INSERT INTO change_head (one, seq) VALUES (TRUE, 0);

-- The ordered change log replicas apply to their own index.
CREATE TABLE changes (
    seq          BIGINT PRIMARY KEY,
    resource_id  TEXT NOT NULL,
    path         TEXT NOT NULL,
    markdown     TEXT,
    at           BIGINT NOT NULL
);

CREATE TABLE submissions (
    id           BIGSERIAL PRIMARY KEY,
    token        TEXT NOT NULL UNIQUE,
    status       TEXT NOT NULL DEFAULT 'pending',
    fields       TEXT NOT NULL,
    body         TEXT NOT NULL,
    title        TEXT NOT NULL,
    reason       TEXT,
    resource_id  TEXT,
    key_id       BIGINT,
    client_ip    TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX submissions_status ON submissions (status, id);

CREATE TABLE users (
    id             BIGSERIAL PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    role           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    created_at     BIGINT NOT NULL
);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf        TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);

CREATE TABLE api_keys (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE,
    rate_limit  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

CREATE TABLE audit (
    id             BIGSERIAL PRIMARY KEY,
    at             BIGINT NOT NULL,
    actor          TEXT NOT NULL,
    action         TEXT NOT NULL,
    submission_id  BIGINT,
    detail         TEXT NOT NULL DEFAULT ''
);

-- Requests counted per bucket (a key, a client address) and window, shared
-- by every replica.
CREATE TABLE quota_counters (
    bucket        TEXT NOT NULL,
    window_start  BIGINT NOT NULL,
    count         BIGINT NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
