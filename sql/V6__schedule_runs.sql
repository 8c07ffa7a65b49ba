-- Every time a schedule's trigger fires (on whichever node of the cluster), what it did: the job it
-- launched with the business date, or why it launched nothing (that date's instance already ran or
-- runs). One row per fire, so a fire that happened twice would show.
create table schedule_run (
    id                   bigserial   primary key,
    schedule_name        text        not null,
    job_name             text        not null,
    business_date        date        not null,
    scheduled_fire_time  timestamptz not null,
    fired_at             timestamptz not null default now(),
    scheduler_instance   text        not null,
    outcome              text        not null check (outcome in ('LAUNCHED', 'REFUSED', 'FAILED')),
    detail               text,
    job_execution_id     bigint
);

create index schedule_run_name on schedule_run (schedule_name, fired_at desc);
