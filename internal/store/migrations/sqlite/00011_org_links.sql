-- +goose Up
-- A unit's place in the tree is effective-dated (DOMAIN §2): each row says
-- under which parent, at which path, the unit stood from valid_from until
-- valid_to (NULL: still). orgs.parent_id and orgs.path keep the current
-- place, for scopes and lists; reports as of a date read the links valid
-- on that date. A unit's first link starts on 0001-01-01: before its first
-- move it stood where it was founded (its own valid_from says when it
-- existed), so editing the founding date never leaves a gap.
CREATE TABLE org_links (
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    parent_id  INTEGER REFERENCES orgs(id),
    path       TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to   TEXT,
    PRIMARY KEY (org_id, valid_from)
);
CREATE INDEX org_links_path ON org_links(path, valid_from);
CREATE INDEX org_links_parent ON org_links(parent_id, valid_from);
INSERT INTO org_links (org_id, parent_id, path, valid_from) SELECT id, parent_id, path, '0001-01-01' FROM orgs;

-- +goose Down
DROP TABLE org_links;
