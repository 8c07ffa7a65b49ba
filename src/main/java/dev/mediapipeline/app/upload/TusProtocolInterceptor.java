package dev.mediapipeline.app.upload;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * tus: every response carries {@code Tus-Resumable}; every request but OPTIONS must name the
 * version this server speaks, else 412 Precondition Failed with the versions it does.
 */
class TusProtocolInterceptor implements HandlerInterceptor {

    static final String VERSION = "1.0.0";

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
        response.setHeader("Tus-Resumable", VERSION);
        if ("OPTIONS".equals(request.getMethod()) || VERSION.equals(request.getHeader("Tus-Resumable"))) {
            return true;
        }
        response.setStatus(HttpServletResponse.SC_PRECONDITION_FAILED);
        response.setHeader("Tus-Version", VERSION);
        response.setContentType("text/plain");
        response.getOutputStream().write(("Tus-Resumable: " + VERSION + " is required\n").getBytes(StandardCharsets.US_ASCII));
        return false;
    }
}
