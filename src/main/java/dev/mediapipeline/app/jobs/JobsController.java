package dev.mediapipeline.app.jobs;

import dev.mediapipeline.app.security.Callers;
import dev.mediapipeline.core.tenant.Caller;
import dev.mediapipeline.jobs.control.ExecutionReport;
import dev.mediapipeline.jobs.control.JobDeclaration;
import org.springframework.batch.core.job.parameters.JobParameters;
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

    record JobView(String name, List<Parameter> parameters) {
    }

    record Parameter(String name, String kind, boolean required, boolean identifying) {
    }

    @GetMapping
    @Operation(summary = "The jobs this key may launch, with the parameters each takes")
    List<JobView> names() {
        Caller caller = Callers.current();
        return jobs.jobNames().stream().map(jobs::declaration)
                .filter(d -> caller.isAdmin() || d.tenantLaunchable())
                .map(d -> new JobView(d.job(), d.parameters().stream()
                        .map(p -> new Parameter(p.name(), p.kind().describe(), p.required(), p.identifying())).toList()))
                .toList();
    }

    @PostMapping("/{name}/executions")
    @Operation(summary = "Launch a job instance in the background",
            description = "Parameters are plain text values, each read as the job declares it (GET /jobs lists them), "
                    + "for example {\"businessDate\": \"2026-11-24\", \"run\": \"manual-1\"}. A tenant's key launches "
                    + "for its own tenant only (the tenant parameter is set for it). 202 with the execution's URL; "
                    + "400 for an unknown parameter or a value that does not parse; 409 when the same instance is running "
                    + "or already complete.")
    ResponseEntity<ExecutionReport> launch(@PathVariable String name, @RequestBody(required = false) LaunchRequest request) {
        Map<String, String> parameters = new java.util.HashMap<>(
                request == null || request.parameters() == null ? Map.of() : request.parameters());
        Caller caller = Callers.current();
        if (!caller.isAdmin()) {
            JobDeclaration declaration = jobs.declaration(name);
            if (!declaration.tenantLaunchable() || !declaration.takesTenant()) {
                throw new JobControlException(JobControlException.Kind.NOT_FOUND, "no job named '" + name + "' that this key may launch");
            }
            String own = caller.tenantId().toString();
            String asked = parameters.get(JobDeclaration.TENANT);
            if (asked != null && !asked.strip().equalsIgnoreCase(own)) {
                throw new JobControlException(JobControlException.Kind.BAD_REQUEST,
                        "a tenant's key launches for its own tenant only: leave out the tenant parameter");
            }
            parameters.put(JobDeclaration.TENANT, own);
        }
        return accepted(jobs.launch(name, jobs.parameters(name, parameters)));
    }

    @GetMapping("/{name}/executions")
    @Operation(summary = "A job's executions, newest first, one page at a time (a tenant's key sees its tenant's)")
    JobsPage executions(@PathVariable String name, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        if (page < 0 || size < 1 || size > 200) {
            throw new JobControlException(JobControlException.Kind.BAD_REQUEST, "page must be >= 0 and size 1 to 200");
        }
        JobControl.Page result = jobs.executions(name, page, size, Callers.current().tenantFilter());
        LocalDateTime now = LocalDateTime.now();
        return new JobsPage(result.executions().stream().map(e -> ExecutionReport.of(e, now)).toList(), page, size,
                result.total());
    }

    @GetMapping("/executions/{id}")
    @Operation(summary = "Status of an execution: every step and partition with read, written, skipped and "
            + "committed counts, elapsed time, progress and estimated time remaining")
    ExecutionReport status(@PathVariable long id) {
        return ExecutionReport.of(visible(id), LocalDateTime.now());
    }

    @PostMapping("/executions/{id}/stop")
    @Operation(summary = "Stop a running execution gracefully: it ends STOPPED after its current chunks, restartable")
    ResponseEntity<ExecutionReport> stop(@PathVariable long id) {
        visible(id);
        return ResponseEntity.accepted().body(ExecutionReport.of(jobs.stop(id), LocalDateTime.now()));
    }

    @PostMapping("/executions/{id}/restart")
    @Operation(summary = "Restart a stopped or failed execution's instance where it stopped (202 and the new execution)")
    ResponseEntity<ExecutionReport> restart(@PathVariable long id) {
        visible(id);
        return accepted(jobs.restart(id));
    }

    @PostMapping("/executions/{id}/recover")
    @Operation(summary = "Mark an execution left STARTED by a dead process as FAILED, so that it can be restarted")
    ExecutionReport recover(@PathVariable long id) {
        visible(id);
        return ExecutionReport.of(jobs.recover(id), LocalDateTime.now());
    }

    /** The execution, if this caller may see it: another tenant's answers 404 exactly as a missing one. */
    private JobExecution visible(long id) {
        JobExecution execution = jobs.execution(id);
        Caller caller = Callers.current();
        if (!caller.isAdmin() && !caller.tenantId().equals(JobControl.tenantOf(execution))) {
            throw new JobControlException(JobControlException.Kind.NOT_FOUND, "no job execution " + id);
        }
        return execution;
    }

    private static ResponseEntity<ExecutionReport> accepted(JobExecution execution) {
        return ResponseEntity.accepted().location(URI.create("/jobs/executions/" + execution.getId()))
                .body(ExecutionReport.of(execution, LocalDateTime.now()));
    }
}
