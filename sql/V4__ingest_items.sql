-- The ingest job's frozen batches. The first step of a job instance claims the COMPLETE uploads
-- that no batch holds yet, each with its partition; a restart of the instance finds the same rows,
-- so the same partitions. The state is the process indicator: it changes in the same transaction
-- as the item's published rows, so a restart reads only what is still PENDING.
create table ingest_item (
    upload_id       uuid        primary key,
    job_instance_id bigint      not null,
    partition_index integer     not null check (partition_index >= 0),
    state           text        not null default 'PENDING' check (state in ('PENDING', 'PUBLISHED', 'REJECTED')),
    -- set once the item's staging chunks and upload row are removed
    cleaned         boolean     not null default false,
    updated_at      timestamptz not null default now()
);

create index ingest_item_partition on ingest_item (job_instance_id, partition_index, state);
