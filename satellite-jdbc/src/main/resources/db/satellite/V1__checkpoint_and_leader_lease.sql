-- One row per leased name: who holds it, with which epoch, until when (the database's clock).
-- The epoch grows with every change of holder; it is the fencing token of checkpoint writes.
CREATE TABLE satellite_lease (
  name        text        PRIMARY KEY,
  holder      text        NOT NULL,
  epoch       bigint      NOT NULL CHECK (epoch > 0),
  acquired_at timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);

-- One row per checkpoint: the epoch of the writer of the last save (0: a store without a lease),
-- a generation bumped by every save, the config digest, and the SHA-256 of the whole content
-- (groups, entities, referrer marks), checked on every load.
CREATE TABLE satellite_checkpoint (
  name          text        PRIMARY KEY,
  epoch         bigint      NOT NULL CHECK (epoch >= 0),
  generation    bigint      NOT NULL CHECK (generation > 0),
  config_digest text,
  sha256        text        NOT NULL,
  saved_at      timestamptz NOT NULL
);

CREATE TABLE satellite_checkpoint_group (
  name     text    NOT NULL REFERENCES satellite_checkpoint (name)
                   ON UPDATE CASCADE ON DELETE CASCADE,
  ref      text    NOT NULL,
  position integer NOT NULL,
  PRIMARY KEY (name, ref)
);

CREATE TABLE satellite_checkpoint_entity (
  name       text    NOT NULL,
  group_ref  text    NOT NULL,
  position   integer NOT NULL,
  repository text    NOT NULL,
  tag        text    NOT NULL,
  digest     text    NOT NULL,
  PRIMARY KEY (name, group_ref, position),
  FOREIGN KEY (name, group_ref) REFERENCES satellite_checkpoint_group (name, ref)
    ON UPDATE CASCADE ON DELETE CASCADE
);

CREATE TABLE satellite_checkpoint_referrer (
  name  text NOT NULL REFERENCES satellite_checkpoint (name)
             ON UPDATE CASCADE ON DELETE CASCADE,
  image text NOT NULL,
  mark  text NOT NULL,
  PRIMARY KEY (name, image)
);
