-- A video version's stream: HLS and DASH over one set of CMAF segments, stored under prefix in the
-- final bucket. The row commits with the asset version, so a stream is published exactly when its
-- version is; objects under a prefix without a row are the leftovers of an interrupted run, which
-- the rerun overwrites.
create table video_stream (
    asset_id        uuid        not null,
    version         integer     not null,
    bucket          text        not null,
    prefix          text        not null,
    master_playlist text        not null,
    dash_manifest   text        not null,
    duration_ms     bigint      not null check (duration_ms >= 0),
    width           integer     not null,
    height          integer     not null,
    rotation        integer     not null default 0 check (rotation in (0, 90, 180, 270)),
    video_codec     text        not null,
    audio_codec     text,
    segments        integer     not null check (segments > 0),
    objects         integer     not null,
    bytes           bigint      not null,
    -- heights of the video renditions in the master playlist, highest first ("720" for a passthrough)
    renditions      text        not null,
    -- passthrough (the upload's own encoding) or transcoded/ladder, with why
    packaging       text        not null,
    notes           text        not null default '',
    created_at      timestamptz not null default now(),
    primary key (asset_id, version),
    foreign key (asset_id, version) references asset_version (asset_id, version) on delete cascade
);
