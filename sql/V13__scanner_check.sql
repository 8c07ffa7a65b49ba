-- Passed checks that a clamd never answers OK to what it did not scan (ScannerLimitsCheck): one row
-- per clamd address, version and stream limit, so that the check (seconds of streaming) is paid once
-- per media.clamd.verify-interval, not by every process start.
create table scanner_check (
    address           text        not null,
    version           text        not null,
    stream_max_length bigint      not null,
    checked_at        timestamptz not null,
    primary key (address, version, stream_max_length)
);
