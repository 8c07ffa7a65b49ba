-- The failure ledger: every item a job rejected or failed on, with its class, reason and job
-- execution. Rejections are classed "rejected:<reason>" (too-many-pixels, infected, ...), failures
-- "failed:<exception>". A failure is resolved when a later attempt of the same item succeeds; a
-- requeue job re-ingests the open entries of one class and marks them requeued.
create table failure_ledger (
    id                   bigserial   primary key,
    job_name             text        not null,
    job_execution_id     bigint      not null,
    item_kind            text        not null check (item_kind in ('UPLOAD', 'ASSET')),
    item_id              uuid        not null,
    failure_class        text        not null,
    reason               text        not null,
    created_at           timestamptz not null default now(),
    resolved_at          timestamptz,
    requeued_at          timestamptz,
    requeue_execution_id bigint,
    unique (job_execution_id, item_id, failure_class)
);

create index failure_ledger_open on failure_ledger (failure_class) where resolved_at is null and requeued_at is null;
