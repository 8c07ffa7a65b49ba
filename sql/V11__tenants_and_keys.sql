-- Tenants and their API keys. A key is shown once when it is made and stored only as the SHA-256 of
-- its secret, found by a short random lookup prefix (keys read mp_<prefix>_<secret>). Every upload,
-- asset, download and failure belongs to a tenant; what existed before tenants belongs to "default".
create table tenant (
    id         uuid        primary key,
    name       text        not null unique check (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    created_at timestamptz not null default now()
);

-- the tenant that the command line and everything made before tenants belong to; its id is fixed so
-- that code and tests can name it
insert into tenant (id, name) values ('00000000-0000-0000-0000-000000000001', 'default');

create table api_key (
    id           uuid        primary key,
    tenant_id    uuid        not null references tenant (id) on delete cascade,
    prefix       text        not null unique check (prefix ~ '^[a-z0-9]{12}$'),
    secret_hash  bytea       not null check (length(secret_hash) = 32),
    scopes       text[]      not null check (scopes <@ array['upload', 'read', 'write', 'jobs', 'admin']::text[] and cardinality(scopes) > 0),
    name         text,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz,
    -- the key's own request limit, replacing the configured per-key one: requests per period, with a burst
    rate_requests  bigint check (rate_requests > 0),
    rate_period_ms bigint check (rate_period_ms > 0),
    rate_burst     bigint check (rate_burst > 0),
    check ((rate_requests is null) = (rate_period_ms is null) and (rate_requests is null) = (rate_burst is null))
);

create index api_key_tenant on api_key (tenant_id);

alter table upload add column tenant_id uuid references tenant (id);
update upload set tenant_id = '00000000-0000-0000-0000-000000000001';
alter table upload alter column tenant_id set not null;
create index upload_tenant on upload (tenant_id);

alter table asset add column tenant_id uuid references tenant (id);
update asset set tenant_id = '00000000-0000-0000-0000-000000000001';
alter table asset alter column tenant_id set not null;
create index asset_tenant on asset (tenant_id, created_at);

alter table download add column tenant_id uuid references tenant (id);
update download set tenant_id = '00000000-0000-0000-0000-000000000001';
alter table download alter column tenant_id set not null;
-- an admin's download may take any tenant's assets; a tenant's, only its own
alter table download add column all_tenants boolean not null default false;

-- the ledger keeps its tenant even after the upload it names is cleaned away
alter table failure_ledger add column tenant_id uuid references tenant (id);
update failure_ledger set tenant_id = '00000000-0000-0000-0000-000000000001';
alter table failure_ledger alter column tenant_id set not null;
create index failure_ledger_tenant on failure_ledger (tenant_id, id);

-- bucket4j's token buckets (PostgreSQL proxy manager), shared by every instance on this database:
-- one row per key or tenant and limit
create table rate_limit_bucket (
    id    text  primary key,
    state bytea
);
