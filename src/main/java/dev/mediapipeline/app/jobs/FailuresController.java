package dev.mediapipeline.app.jobs;

import dev.mediapipeline.app.security.Callers;
import dev.mediapipeline.core.ledger.FailureLedger;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The failure ledger over REST; requeue a class with {@code POST /jobs/requeueFailures/executions}. */
@RestController
@RequestMapping("/failures")
@Tag(name = "failures", description = "Every item a job rejected or failed on")
class FailuresController {

    private final FailureLedger ledger;

    FailuresController(FailureLedger ledger) {
        this.ledger = ledger;
    }

    @GetMapping("/classes")
    @Operation(summary = "Open failures (neither resolved nor requeued) counted by class, of this key's tenant (admin: all)")
    List<Map<String, Object>> classes() {
        return ledger.summary(Callers.current().tenantFilter());
    }

    @GetMapping
    @Operation(summary = "Ledger entries, newest first, of one class or all")
    List<Map<String, Object>> entries(@RequestParam(name = "class", required = false) String failureClass,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        int limit = Math.clamp(size, 1, 500);
        return ledger.page(failureClass, Callers.current().tenantFilter(), limit, Math.max(0, page) * limit);
    }
}
