-- Remote partitioning: the worker JVMs (./media worker) that take partitions from the broker, and which
-- of them runs each partition. Both are kept alive by heartbeats; the manager reads them to notice a
-- worker that died with a partition (its lease stops being renewed).

create table media_worker (
    name         text        primary key,
    host         text        not null,
    pid          bigint      not null,
    started_at   timestamptz not null default now(),
    heartbeat_at timestamptz not null default now()
);

-- the partition (a step execution) a worker runs; renewed while it runs, kept afterwards as the record
-- of who ran it
create table partition_lease (
    step_execution_id bigint      primary key,
    worker            text        not null,
    started_at        timestamptz not null default now(),
    heartbeat_at      timestamptz not null default now(),
    ended_at          timestamptz,
    -- how many times a worker began it (more than one: a worker died with it and another took it over)
    attempts          integer     not null default 1
);
