package dev.mediapipeline.app.jobs;

import dev.mediapipeline.jobs.control.ExecutionReport;
import dev.mediapipeline.jobs.control.JobControl;
import dev.mediapipeline.jobs.control.JobControlException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Job control over REST: launch, status with progress, stop, restart, recover, list. */
@RestController
@RequestMapping("/jobs")
@Tag(name = "jobs", description = "Launch and control the pipeline's Spring Batch jobs")
class JobsController {

    private final JobControl jobs;

    JobsController(JobControl jobs) {
        this.jobs = jobs;
    }

    record LaunchRequest(Map<String, String> parameters) {
    }

    record JobsPage(List<ExecutionReport> executions, int page, int size, long total) {
    }

    @GetMapping
    @Operation(summary = "The names of the jobs this application can run")
    List<String> names() {
        return jobs.jobNames();
    }

    @PostMapping("/{name}/executions")
    @Operation(summary = "Launch a job instance in the background",
            description = "Parameters in Spring Batch's notation, value[,type[,identifying]], for example "
                    + "{\"businessDate\": \"2026-11-24,java.time.LocalDate\"}. 202 with the execution's URL; "
                    + "409 when the same instance is running or already complete.")
    ResponseEntity<ExecutionReport> launch(@PathVariable String name, @RequestBody(required = false) LaunchRequest request) {
        Map<String, String> parameters = request == null || request.parameters() == null ? Map.of() : request.parameters();
        return accepted(jobs.launch(name, jobs.parameters(parameters)));
    }

    @GetMapping("/{name}/executions")
    @Operation(summary = "A job's executions, newest first, one page at a time")
    JobsPage executions(@PathVariable String name, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        if (page < 0 || size < 1 || size > 200) {
            throw new JobControlException(JobControlException.Kind.BAD_REQUEST, "page must be >= 0 and size 1 to 200");
        }
        JobControl.Page result = jobs.executions(name, page, size);
        LocalDateTime now = LocalDateTime.now();
        return new JobsPage(result.executions().stream().map(e -> ExecutionReport.of(e, now)).toList(), page, size,
                result.total());
    }

    @GetMapping("/executions/{id}")
    @Operation(summary = "Status of an execution: every step and partition with read, written, skipped and "
            + "committed counts, elapsed time, progress and estimated time remaining")
    ExecutionReport status(@PathVariable long id) {
        return ExecutionReport.of(jobs.execution(id), LocalDateTime.now());
    }

    @PostMapping("/executions/{id}/stop")
    @Operation(summary = "Stop a running execution gracefully: it ends STOPPED after its current chunks, restartable")
    ResponseEntity<ExecutionReport> stop(@PathVariable long id) {
        return ResponseEntity.accepted().body(ExecutionReport.of(jobs.stop(id), LocalDateTime.now()));
    }

    @PostMapping("/executions/{id}/restart")
    @Operation(summary = "Restart a stopped or failed execution's instance where it stopped (202 and the new execution)")
    ResponseEntity<ExecutionReport> restart(@PathVariable long id) {
        return accepted(jobs.restart(id));
    }

    @PostMapping("/executions/{id}/recover")
    @Operation(summary = "Mark an execution left STARTED by a dead process as FAILED, so that it can be restarted")
    ExecutionReport recover(@PathVariable long id) {
        return ExecutionReport.of(jobs.recover(id), LocalDateTime.now());
    }

    private static ResponseEntity<ExecutionReport> accepted(JobExecution execution) {
        return ResponseEntity.accepted().location(URI.create("/jobs/executions/" + execution.getId()))
                .body(ExecutionReport.of(execution, LocalDateTime.now()));
    }
}
