-- When the first admin key was made (at the first start of a server with no configured admin key).
-- Made once: revoking every admin key later is not undone by a restart; a new one comes from
-- `./media keys create --tenant default --scopes admin` on the database.
create table security_bootstrap (
    id                  integer     primary key check (id = 1),
    admin_key_made_at   timestamptz not null default now(),
    admin_key_id        uuid
);
