-- Published media. Files are content-addressed (sha256 of their bytes) and counted by reference;
-- an asset has versions (a re-processing makes a new one and switches current_version after it
-- commits); a version has renditions. Every insert of the writers is ON CONFLICT DO NOTHING, so a
-- rerun of any chunk changes nothing.
create table file_ref (
    sha256       text        primary key check (sha256 ~ '^[0-9a-f]{64}$'),
    bucket       text        not null,
    object_key   text        not null,
    size         bigint      not null check (size >= 0),
    content_type text        not null,
    -- how many version originals and renditions point here
    ref_count    integer     not null default 0 check (ref_count >= 0),
    created_at   timestamptz not null default now(),
    unique (bucket, object_key)
);

create table asset (
    id                uuid        primary key,
    kind              text        not null check (kind in ('IMAGE', 'VIDEO')),
    original_filename text,
    current_version   integer,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now()
);

create table asset_version (
    asset_id         uuid        not null references asset (id) on delete cascade,
    version          integer     not null check (version > 0),
    original_sha256  text        not null references file_ref (sha256),
    format           text        not null,
    width            integer     not null check (width > 0),
    height           integer     not null check (height > 0),
    frames           integer     not null default 1 check (frames > 0),
    alpha            boolean     not null default false,
    -- lineage: what made this version
    profile_hash     text        not null,
    tools            text        not null,
    scan_engine      text        not null,
    job_execution_id bigint,
    created_at       timestamptz not null default now(),
    primary key (asset_id, version)
);

alter table asset add constraint asset_current_version
    foreign key (id, current_version) references asset_version (asset_id, version) deferrable initially deferred;

create table rendition (
    asset_id uuid    not null,
    version  integer not null,
    format   text    not null,
    width    integer not null check (width > 0),
    height   integer not null check (height > 0),
    sha256   text    not null references file_ref (sha256),
    primary key (asset_id, version, format, width),
    foreign key (asset_id, version) references asset_version (asset_id, version) on delete cascade
);

create index rendition_file on rendition (sha256);

-- every upload the ingest job refused, with why (infected ones with their signature and quarantine key)
create table ingest_rejection (
    upload_id        uuid        not null,
    job_execution_id bigint      not null,
    reason           text        not null,
    message          text        not null,
    signature        text,
    quarantine_key   text,
    created_at       timestamptz not null default now(),
    primary key (upload_id, job_execution_id)
);
