vcl 4.1;
# The CDN edge in front of the application, for the tests and `./media serve --edge` (Varnish 7.1).
# scripts/varnish loads it from a generated boot.vcl that declares the origin (the application's port) and
# sends every request to it; on its own (`varnishd -C -f scripts/edge.vcl`) it compiles with no origin.
#
# - The origin's Cache-Control decides: Varnish's built-in rules take the TTL from s-maxage/max-age
#   and never store `private`, `no-store` or `no-cache` answers, nor any with Set-Cookie.
# - Requests with credentials (Authorization, X-Api-Key) are passed: what they see is never stored.
# - The cache key is the URL with its query (signed URLs differ by query), not the Host: the edge
#   fronts one origin, so a PURGE reaches the object whatever host name the clients used. `Vary`
#   (`Vary: Accept` for /media/.../auto/...) keeps one variant per Accept under that key.
# - Range: a miss fetches the whole object (no Range to the origin) and the 206 is cut from the cache.
# - X-Cache: HIT|MISS on every answer; Age as Varnish keeps it.
# - PURGE <url> drops that URL, every variant. BAN with `X-Ban-Prefix: /a/path/` drops every object
#   whose URL starts with it (matched on obj.http.x-url, so that the ban lurker can clean up).
#   Both only from this machine; anyone else gets 405.

import std;

# no origin here: scripts/varnish's boot.vcl declares it and points every request at it
backend default none;

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE" || req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (req.method == "PURGE") {
            return (purge);
        }
        if (req.http.X-Ban-Prefix !~ "^/") {
            return (synth(400, "X-Ban-Prefix must be a path beginning with /"));
        }
        # the prefix is a literal: regex metacharacters are escaped before it becomes a ban
        ban("obj.http.x-url ~ ^" + regsuball(req.http.X-Ban-Prefix, "([][\\^$.|?*+(){}])", "\\\1"));
        return (synth(200, "Banned"));
    }
    if (req.http.Authorization || req.http.X-Api-Key) {
        return (pass);
    }
    # originals (a video's can be gigabytes) and download archives go straight to the origin, Range and all:
    # they are fetched rarely, and a miss here would otherwise fetch the whole object for one range
    if (req.url ~ "^/media/[^/?]+/original" || req.url ~ "^/downloads/") {
        return (pass);
    }
    # the origin varies /auto and /poster on Accept only as "takes WebP or not": one variant each, whatever the
    # browser's exact header, so that Accept cannot split the cache
    if (req.url ~ "^/media/[^/?]+/(auto|poster)/") {
        if (req.http.Accept ~ "image/webp(?!\s*;\s*q=0(\.0*)?\s*(,|$))") {
            set req.http.Accept = "image/webp";
        } else {
            set req.http.Accept = "image/jpeg";
        }
    }
    # then Varnish's built-in vcl_recv: only GET and HEAD are looked up, Cookie requests are passed
}

sub vcl_hash {
    hash_data(req.url);
    return (lookup);
}

sub vcl_backend_fetch {
    if (!bereq.uncacheable) {
        # a miss stores the whole object, from which every Range is served (Varnish drops it too)
        unset bereq.http.Range;
        unset bereq.http.If-Range;
    }
}

sub vcl_backend_response {
    # what the lurker matches BAN prefixes against
    set beresp.http.x-url = bereq.url;
    # the edge's store is small (-s malloc,64m): a large object (a video original) is not kept, and
    # the next requests for it pass to the origin for two minutes, Range and all
    if (std.integer(beresp.http.Content-Length, 0) > 16777216) {
        return (pass(120s));
    }
    # an error is the origin's answer of the moment (a 404 of an asset in the trash, which a restore brings
    # back): never kept, whatever the built-in rules would do with a 404 that names no max-age
    if (beresp.status >= 400) {
        set beresp.ttl = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # no grace: a signed URL or a stream token is never served past its expiry, a purged object never again
    set beresp.grace = 0s;
    # then the built-in rules: Cache-Control, Set-Cookie, Vary: *
}

sub vcl_deliver {
    unset resp.http.x-url;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
