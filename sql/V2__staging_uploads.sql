-- Staging uploads (tus 1.0). One row per upload, one row per accepted PATCH body; the bytes of each
-- body are one object in the staging bucket under uploads/<id>/<offset>-<nonce>.
create table upload (
    id            uuid        primary key,
    upload_length bigint      not null check (upload_length >= 0),
    upload_offset bigint      not null default 0 check (upload_offset >= 0 and upload_offset <= upload_length),
    metadata      text,
    status        text        not null check (status in ('IN_PROGRESS', 'COMPLETE')),
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    -- when an unfinished upload may be removed; null once complete
    expires_at    timestamptz,
    check ((status = 'COMPLETE') = (upload_offset = upload_length))
);

create index upload_expiring on upload (expires_at) where status = 'IN_PROGRESS';
create index upload_complete on upload (updated_at) where status = 'COMPLETE';

create table upload_chunk (
    upload_id    uuid   not null references upload (id) on delete cascade,
    start_offset bigint not null check (start_offset >= 0),
    length       bigint not null check (length > 0),
    sha256       bytea  not null check (length(sha256) = 32),
    object_key   text   not null unique,
    primary key (upload_id, start_offset)
);
