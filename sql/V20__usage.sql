-- Usage a tenant can be billed on. Days are UTC dates.
--
-- Raw counts, each written without a database write per request:
--   usage_delivery: what the origin served, counted in memory and added here by a periodic flush, and
--                   what the CDN edge served, read from its access log (usage_edge_log keeps the place);
--   usage_upload:   uploads that completed, added in the transaction that completes them (the upload
--                   rows themselves are removed once ingested);
--   usage_processing: versions published, added in the transaction that publishes them.
-- Rolled up per tenant and day by the usageRollup job, which recomputes its days from the raw counts and
-- the catalogue (purges, stored bytes) idempotently.

-- source origin: counted by the application; cache 'origin' for a client's request, 'fetch' for the
-- edge's own fetch from the origin (the edge's log counts what reached the client: not billed twice).
-- source edge: read from the edge's log; cache is Varnish's handling: hit, miss or pass.
-- asset_id: the nil uuid for a download archive (of several assets)
create table usage_delivery (
    day       date   not null,
    tenant_id uuid   not null references tenant (id) on delete cascade,
    asset_id  uuid   not null,
    kind      text   not null check (kind in ('image', 'original', 'stream', 'archive')),
    format    text   not null,
    source    text   not null check (source in ('origin', 'edge')),
    cache     text   not null check (cache in ('origin', 'fetch', 'hit', 'miss', 'pass')),
    requests  bigint not null default 0 check (requests >= 0),
    bytes     bigint not null default 0 check (bytes >= 0),
    primary key (day, tenant_id, asset_id, kind, format, source, cache)
);
create index usage_delivery_tenant on usage_delivery (tenant_id, day);

create table usage_upload (
    day       date   not null,
    tenant_id uuid   not null references tenant (id) on delete cascade,
    uploads   bigint not null default 0,
    bytes     bigint not null default 0,
    primary key (day, tenant_id)
);

-- processing: versions published (ingests and migrations) and their renditions' encode time, added in
-- the transaction that publishes them (kept when the asset is purged later)
create table usage_processing (
    day       date   not null,
    tenant_id uuid   not null references tenant (id) on delete cascade,
    items     bigint not null default 0,
    encode_ms bigint not null default 0,
    primary key (day, tenant_id)
);

-- how far the edge's access log has been read: the position is committed with the counts it produced
create table usage_edge_log (
    path       text        primary key,
    -- the file's identity (device and inode): a rotated log starts again at 0
    file_key   text        not null,
    position   bigint      not null check (position >= 0),
    lines      bigint      not null default 0,
    -- lines that named no known asset or were not deliveries (PURGE, BAN, errors, other paths)
    skipped    bigint      not null default 0,
    updated_at timestamptz not null default now()
);

-- the time each rendition's encoding took (lineage; processing usage adds it up as it is published)
alter table rendition add column encode_ms integer not null default 0 check (encode_ms >= 0);

-- the rollup's count of purged assets per day
create index asset_event_purges on asset_event (created_at) where action = 'purge';

-- the rollup, one row per tenant and day
create table usage_daily (
    tenant_id       uuid        not null references tenant (id) on delete cascade,
    day             date        not null,
    -- delivered to clients (the edge's fetches from the origin are not)
    requests        bigint      not null,
    bytes           bigint      not null,
    image_bytes     bigint      not null,
    stream_bytes    bigint      not null,
    edge_requests   bigint      not null,
    edge_hits       bigint      not null,
    edge_hit_bytes  bigint      not null,
    -- the edge's fetches from the origin: origin egress that is not delivery
    origin_fetch_bytes bigint   not null,
    uploads         bigint      not null,
    upload_bytes    bigint      not null,
    -- versions published, and the encode time of their renditions
    items           bigint      not null,
    encode_ms       bigint      not null,
    assets_deleted  bigint      not null,
    computed_at     timestamptz not null default now(),
    primary key (tenant_id, day)
);
create index usage_daily_day on usage_daily (day);

-- delivery per tenant, day and format (jpeg, webp, png, avif, original, m3u8, mpd, init, segment, zip)
create table usage_daily_format (
    tenant_id uuid   not null references tenant (id) on delete cascade,
    day       date   not null,
    format    text   not null,
    requests  bigint not null,
    bytes     bigint not null,
    edge_hits bigint not null,
    primary key (tenant_id, day, format)
);

-- delivery per asset: the tenant's top assets of the day by bytes
create table usage_daily_asset (
    tenant_id uuid   not null references tenant (id) on delete cascade,
    day       date   not null,
    asset_id  uuid   not null,
    requests  bigint not null,
    bytes     bigint not null,
    primary key (tenant_id, day, asset_id)
);

-- storage, a point in time: the day's peak of what each rollup on that day measured, by kind
-- (original, a rendition format, stream); a month's figure is its highest day
create table usage_storage (
    tenant_id uuid   not null references tenant (id) on delete cascade,
    day       date   not null,
    kind      text   not null,
    bytes     bigint not null,
    objects   bigint not null,
    primary key (tenant_id, day, kind)
);
