-- Batch downloads: a ZIP of chosen renditions of many assets, streamed into the published bucket by
-- S3 multipart upload. The entries are frozen first (with their order, so the archive's bytes are
-- the same on every run); each uploaded part is recorded with the entries it holds, in the same
-- transaction, so a restart continues after the last recorded part.
create table download (
    id               uuid        primary key,
    state            text        not null default 'REQUESTED' check (state in ('REQUESTED', 'WRITING', 'COMPLETE', 'FAILED')),
    asset_ids        uuid[],
    selection        text,
    renditions       text        not null,
    bucket           text        not null,
    object_key       text        not null,
    upload_id        text,
    size             bigint,
    entries          integer,
    job_execution_id bigint,
    created_at       timestamptz not null default now(),
    completed_at     timestamptz
);

create table download_entry (
    download_id  uuid    not null references download (id) on delete cascade,
    ordinal      integer not null check (ordinal >= 0),
    name         text    not null,
    bucket       text    not null,
    object_key   text    not null,
    sha256       text    not null,
    size         bigint  not null check (size >= 0),
    -- known once the part holding the entry is uploaded
    crc32        bigint,
    header_offset bigint,
    part_number  integer,
    primary key (download_id, ordinal),
    unique (download_id, name)
);

create table download_part (
    download_id uuid    not null references download (id) on delete cascade,
    part_number integer not null check (part_number between 1 and 10000),
    etag        text    not null,
    size        bigint  not null,
    -- entries [first_entry, next_entry) are in this part; the archive's bytes so far end at end_offset
    first_entry integer not null,
    next_entry  integer not null,
    end_offset  bigint  not null,
    final       boolean not null default false,
    primary key (download_id, part_number)
);
