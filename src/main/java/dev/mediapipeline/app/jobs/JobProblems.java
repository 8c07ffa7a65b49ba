package dev.mediapipeline.app.jobs;

import dev.mediapipeline.jobs.control.JobControlException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Refusals of job control and schedules as RFC 9457 problem details. */
@RestControllerAdvice(basePackages = {"dev.mediapipeline.app.jobs", "dev.mediapipeline.app.schedules", "dev.mediapipeline.app.downloads",
        "dev.mediapipeline.app.admin"})
class JobProblems {

    @ExceptionHandler(JobControlException.class)
    ProblemDetail refused(JobControlException e) {
        HttpStatus status = switch (e.kind()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case BAD_REQUEST -> HttpStatus.BAD_REQUEST;
        };
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setTitle(switch (e.kind()) {
            case NOT_FOUND -> "Not found";
            case CONFLICT -> "Conflict with the job's state";
            case BAD_REQUEST -> "Invalid request";
        });
        return problem;
    }
}
