-- The rest of an asset's life after publication: who may see it, what happened to it, what a CDN
-- must forget, and what storage is left to reclaim once it is gone.

-- public: its renditions, poster and stream may be read without a key or signature (never its
-- original, which carries the uploader's metadata); private, the default: a key of its tenant or a
-- signed URL only
alter table asset add column visibility text not null default 'private' check (visibility in ('public', 'private'));

-- what was done to an asset and by which key: kept after the asset is purged (no foreign key to it)
create table asset_event (
    id         bigserial   primary key,
    asset_id   uuid        not null,
    tenant_id  uuid        not null references tenant (id) on delete cascade,
    action     text        not null check (action in ('trash', 'restore', 'purge', 'visibility', 'version-restore')),
    detail     text        not null default '',
    -- the API key that asked; null for the configured admin key and the application's own jobs
    key_id     uuid,
    created_at timestamptz not null default now()
);
create index asset_event_asset on asset_event (asset_id, id);

-- URL prefixes a CDN must forget, written in the same transaction as the change that makes them
-- stale, delivered after it commits, and retried by the cdnPurge job until every configured purger
-- acknowledged them
create table cdn_purge (
    id              bigserial   primary key,
    prefixes        text[]      not null check (cardinality(prefixes) > 0),
    reason          text        not null,
    created_at      timestamptz not null default now(),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text,
    acknowledged_at timestamptz
);
create index cdn_purge_pending on cdn_purge (next_attempt_at) where acknowledged_at is null;

-- stream prefixes of purged assets (streams/<asset>/: every version's, and the leftovers of runs that
-- never committed), written with the rows' deletion and emptied by the purge job (an asset's stream
-- objects are its own: nothing else ever writes under its prefix)
create table stream_garbage (
    bucket     text        not null,
    prefix     text        not null check (prefix ~ '^streams/[0-9a-f-]{36}/(v[0-9]+/)?$'),
    created_at timestamptz not null default now(),
    primary key (bucket, prefix)
);

-- files no version references any more, for the purge job's collection
create index file_ref_unreferenced on file_ref (sha256) where ref_count = 0;
