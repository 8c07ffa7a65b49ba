package dev.mediapipeline.app.schedules;

import dev.mediapipeline.jobs.control.JobControlException;
import dev.mediapipeline.schedules.Schedules;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The Quartz schedules over REST: list, create or change, pause, resume, delete, and their fires. */
@RestController
@RequestMapping("/schedules")
@Tag(name = "schedules", description = "Cron schedules (Quartz, clustered JDBC store) that launch jobs by name")
class SchedulesController {

    private final Schedules schedules;

    SchedulesController(Schedules schedules) {
        this.schedules = schedules;
    }

    record ScheduleRequest(String job, String cron, String zone) {
    }

    @GetMapping
    @Operation(summary = "Every schedule with its cron, state and next fire time")
    List<Schedules.View> list() {
        return schedules.list();
    }

    @GetMapping("/{name}")
    @Operation(summary = "One schedule")
    Schedules.View get(@PathVariable String name) {
        return schedules.require(name);
    }

    @PutMapping("/{name}")
    @Operation(summary = "Create a schedule, or change its job, cron (Quartz syntax, seconds first) and zone",
            description = "Each fire launches the job with businessDate (the fire's date in the zone) as its identifying "
                    + "parameter. A fire missed during downtime runs once when an instance is back.")
    Schedules.View put(@PathVariable String name, @RequestBody ScheduleRequest request) {
        if (request == null || request.job() == null || request.cron() == null) {
            throw new JobControlException(JobControlException.Kind.BAD_REQUEST, "job and cron are required");
        }
        ZoneId zone;
        try {
            zone = request.zone() == null ? ZoneId.of("UTC") : ZoneId.of(request.zone());
        } catch (DateTimeException e) {
            throw new JobControlException(JobControlException.Kind.BAD_REQUEST, "unknown time zone '" + request.zone() + "'");
        }
        return schedules.put(name, request.job(), request.cron(), zone);
    }

    @PostMapping("/{name}/pause")
    @Operation(summary = "Pause a schedule: it fires no more until resumed")
    Schedules.View pause(@PathVariable String name) {
        return schedules.pause(name);
    }

    @PostMapping("/{name}/resume")
    @Operation(summary = "Resume a paused schedule; what it missed while paused runs once")
    Schedules.View resume(@PathVariable String name) {
        return schedules.resume(name);
    }

    @DeleteMapping("/{name}")
    @Operation(summary = "Delete a schedule")
    ResponseEntity<Void> delete(@PathVariable String name) {
        schedules.delete(name);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{name}/runs")
    @Operation(summary = "The schedule's newest fires on every node: what each launched, or why nothing")
    List<Schedules.Run> runs(@PathVariable String name, @RequestParam(defaultValue = "50") int limit) {
        schedules.require(name);
        return schedules.runs(name, Math.clamp(limit, 1, 500));
    }
}
