package dev.mediapipeline.app.console;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator console: one static page, its script and its style, served to anyone (they hold no
 * data; the route enumeration test knows them as public). The page signs in with an API key (admin, or
 * a tenant's jobs key, with read for the usage charts) kept in the browser's session storage only, and
 * calls the same API as any client with it, in an {@code X-Api-Key} header. Its Content-Security-Policy
 * allows scripts, styles and requests of this origin only.
 */
@RestController
@Tag(name = "console", description = "The operator console (a static page; its data comes from the API with the key signed in)")
class ConsoleController {

    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    @GetMapping("/console")
    @Operation(summary = "The operator console's page")
    ResponseEntity<byte[]> page() throws IOException {
        return file("index.html", MediaType.TEXT_HTML);
    }

    @GetMapping("/console/console.js")
    @Operation(summary = "The console's script")
    ResponseEntity<byte[]> script() throws IOException {
        return file("console.js", MediaType.valueOf("text/javascript"));
    }

    @GetMapping("/console/console.css")
    @Operation(summary = "The console's style")
    ResponseEntity<byte[]> style() throws IOException {
        return file("console.css", MediaType.valueOf("text/css"));
    }

    private static ResponseEntity<byte[]> file(String name, MediaType type) throws IOException {
        try (InputStream in = new ClassPathResource("console/" + name).getInputStream()) {
            return ResponseEntity.ok().contentType(type).cacheControl(CacheControl.noCache())
                    .header("Content-Security-Policy", POLICY).header("Referrer-Policy", "no-referrer").body(in.readAllBytes());
        }
    }
}
