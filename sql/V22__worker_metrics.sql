-- where a worker JVM serves its metrics (media.workers.metrics-port), for ./media workers and a scrape configuration; null: none
alter table media_worker add column metrics_url text;
