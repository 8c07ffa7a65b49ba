package dev.mediapipeline.app.jobs;

import dev.mediapipeline.jobs.control.JobControlException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Refusals of job control and schedules as RFC 9457 problem details. */
@RestControllerAdvice(basePackages = {"dev.mediapipeline.app.jobs", "dev.mediapipeline.app.schedules", "dev.mediapipeline.app.downloads",
        "dev.mediapipeline.app.admin"})
class JobProblems {

    @ExceptionHandler(JobControlException.class)
    ResponseEntity<ProblemDetail> refused(JobControlException e) {
        HttpStatus status = switch (e.kind()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case BAD_REQUEST -> HttpStatus.BAD_REQUEST;
            case BUSY -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setTitle(switch (e.kind()) {
            case NOT_FOUND -> "Not found";
            case CONFLICT -> "Conflict with the job's state";
            case BAD_REQUEST -> "Invalid request";
            case BUSY -> "Too many executions running";
        });
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (e.kind() == JobControlException.Kind.BUSY) {
            response.header(HttpHeaders.RETRY_AFTER, "30");
        }
        return response.body(problem);
    }
}
