-- An asset deleted by its tenant goes to a trash: gone from lists, the asset API, delivery, downloads
-- and migrations at once, restorable until purge_after (media.assets.trash-retention, 30 days), after
-- which the purge job (to come) removes its rows and the objects no other version references.
alter table asset add column deleted_at timestamptz;
alter table asset add column purge_after timestamptz;
create index asset_trash on asset (purge_after) where deleted_at is not null;
