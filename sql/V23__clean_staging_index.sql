-- cleanStaging reads a page of items not yet cleaned at a time; ingest_item keeps every item ever frozen,
-- so each page must find them without reading the cleaned ones (in upload id order, as it pages)
create index ingest_item_not_cleaned on ingest_item (upload_id) where not cleaned;
