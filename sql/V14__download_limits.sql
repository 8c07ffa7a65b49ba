-- Why a batch download was refused or failed, shown by GET /downloads/{id} (for example: over
-- media.downloads.max-bytes), so that a client can tell a refusal from a fault.
alter table download add column failure text;
