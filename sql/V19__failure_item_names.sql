-- the name an item had when it failed (an upload's file name as staged): kept with the entry, since a
-- quarantined or refused upload's row is removed with its staged bytes while its ledger entry stays
alter table failure_ledger add column item_name text check (length(item_name) <= 255);
