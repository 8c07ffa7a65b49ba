-- The re-processing migration's frozen selections. The first step of a job instance freezes the
-- assets its query selects, each with an ordinal (in asset id order) and the version it will
-- create; partitions are ordinal ranges. The state is the process indicator: it changes in the same
-- transaction as the new version's rows and the switch of the asset's current version.
create table migration_item (
    job_instance_id bigint  not null,
    ordinal         integer not null check (ordinal >= 0),
    asset_id        uuid    not null references asset (id) on delete cascade,
    from_version    integer not null,
    target_version  integer not null check (target_version > from_version),
    state           text    not null default 'PENDING' check (state in ('PENDING', 'MIGRATED', 'SKIPPED')),
    reason          text,
    updated_at      timestamptz not null default now(),
    primary key (job_instance_id, ordinal),
    unique (job_instance_id, asset_id)
);

-- an asset is pending in at most one migration at a time: a second selection leaves it out
create unique index migration_item_one_pending on migration_item (asset_id) where state = 'PENDING';
