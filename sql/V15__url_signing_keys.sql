-- Secrets of the application's signed delivery URLs (?exp=&sig=, HMAC-SHA256), when none are
-- configured (media.delivery.signing-keys): made at the first start, shared by every instance on the
-- database. The newest signs, every one verifies; delete an old row to retire it.
create table url_signing_key (
    id         bigserial   primary key,
    secret     bytea       not null check (length(secret) >= 32),
    created_at timestamptz not null default now()
);
