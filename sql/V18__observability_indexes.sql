-- What the metrics and the command line read often: items still waiting (a gauge read at every
-- scrape; ingest_item keeps every item ever frozen), and one execution's refusals (./media ingest's report).
create index ingest_item_pending on ingest_item (job_instance_id) where state = 'PENDING';
create index ingest_rejection_execution on ingest_rejection (job_execution_id);
