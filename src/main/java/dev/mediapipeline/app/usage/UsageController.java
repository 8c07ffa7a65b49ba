package dev.mediapipeline.app.usage;

import dev.mediapipeline.app.security.Callers;
import dev.mediapipeline.core.tenant.Caller;
import dev.mediapipeline.core.usage.UsageReport;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Usage statistics as rolled up by the {@code usageRollup} job (UTC days): a tenant's read key sees
 * its own tenant's; an admin every tenant's, or one with {@code ?tenant=}.
 */
@RestController
@Tag(name = "usage", description = "Requests, bytes delivered, edge cache hits, uploads, processing and storage per tenant and day")
class UsageController {

    private final UsageReport report;
    private final Clock clock;

    UsageController(UsageReport report, Clock clock) {
        this.report = report;
        this.clock = clock;
    }

    @GetMapping(value = "/usage/chart.svg", produces = "image/svg+xml")
    @Operation(summary = "A chart of usage as SVG, one bar per point: metric bytes or requests (delivered, per day, every tenant this key "
            + "sees added up) or storage (the peak by format or kind over the range); the same range and tenant parameters as /usage")
    org.springframework.http.ResponseEntity<String> chart(@RequestParam(defaultValue = "bytes") String metric,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String tenant) {
        boolean storage = metric.equals("storage");
        if (!storage && !metric.equals("bytes") && !metric.equals("requests")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "metric is bytes, requests or storage");
        }
        Map<String, Object> usage = usage(from, to, storage ? "format" : "day", tenant, 1000);
        @SuppressWarnings("unchecked")
        java.util.List<Map<String, Object>> rows = (java.util.List<Map<String, Object>>) usage.get("rows");
        // per key, every tenant's rows added up (an admin's chart of several tenants)
        Map<String, Long> sums = new java.util.TreeMap<>();
        for (Map<String, Object> row : rows) {
            String key = String.valueOf(row.get(storage ? "format" : "day"));
            long value = ((Number) row.get(storage ? "storageBytes" : metric)).longValue();
            if (!storage || value > 0) {
                sums.merge(key, value, Long::sum);
            }
        }
        if (!storage) {
            // every day of the range, those without usage at 0
            for (LocalDate d = LocalDate.parse((String) usage.get("from")); !d.isAfter(LocalDate.parse((String) usage.get("to")));
                    d = d.plusDays(1)) {
                sums.putIfAbsent(d.toString(), 0L);
            }
        }
        java.util.List<UsageCharts.Point> points = sums.entrySet().stream().map(e -> new UsageCharts.Point(e.getKey(), e.getValue())).toList();
        String title = switch (metric) {
            case "bytes" -> "Bandwidth per day";
            case "requests" -> "Requests per day";
            default -> "Storage by format (peak)";
        };
        return org.springframework.http.ResponseEntity.ok().contentType(org.springframework.http.MediaType.valueOf("image/svg+xml"))
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
                .body(UsageCharts.bars(title, metric.equals("requests") ? "requests" : "bytes", points));
    }

    @GetMapping("/usage")
    @Operation(summary = "Usage from one day to another (ISO dates, both included, at most 366 days; default: the last 30), "
            + "grouped by day, format (delivery by format, and storage peak by kind) or asset (the top assets by bytes)")
    Map<String, Object> usage(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(defaultValue = "day") String groupBy, @RequestParam(required = false) String tenant,
            @RequestParam(defaultValue = "100") int limit) {
        Caller caller = Callers.current();
        UUID filter = caller.tenantFilter();
        if (tenant != null) {
            UUID asked = uuid(tenant);
            if (!caller.isAdmin() && !asked.equals(caller.tenantId())) {
                throw new ResponseStatusException(HttpStatus.FORBIDDEN, "tenant= names another tenant: only an admin key sees other tenants' usage");
            }
            filter = asked;
        }
        LocalDate today = dev.mediapipeline.core.usage.UsageDay.today(clock);
        LocalDate end = to == null ? today : date("to", to);
        LocalDate start = from == null ? end.minusDays(29) : date("from", from);
        UsageReport.GroupBy group;
        try {
            group = UsageReport.GroupBy.of(groupBy);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("from", start.toString());
            body.put("to", end.toString());
            body.put("groupBy", group.id());
            body.put("rows", report.rows(start, end, group, filter, Math.clamp(limit, 1, 1000)));
            return body;
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private static LocalDate date(String name, String text) {
        try {
            if (text.length() > 10) {
                throw new DateTimeParseException("too long", text, 10);
            }
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, name + " must be an ISO date such as 2026-11-30");
        }
    }

    private static UUID uuid(String text) {
        if (!text.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "tenant must be a tenant id (a UUID)");
        }
        return UUID.fromString(text);
    }
}
