-- Secrets of the application's signed delivery URLs (?exp=&sig=, HMAC-SHA256), when none are
-- configured (media.delivery.signing-keys): the first is made at the first start (id 1, once, whatever
-- the number of instances starting), shared by every instance on the database, which reload them
-- every few minutes. The newest signs, every one verifies: add a new row to rotate, delete an old one
-- to retire it.
create table url_signing_key (
    id         bigserial   primary key,
    secret     bytea       not null check (length(secret) >= 32),
    created_at timestamptz not null default now()
);
alter sequence url_signing_key_id_seq restart with 2;

-- the asset API's pages: a tenant's assets by creation time, ties by id
create index asset_tenant_page on asset (tenant_id, created_at desc, id desc);
