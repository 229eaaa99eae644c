package dev.forwardauth.launcher;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers TRACE (and its old alias TRACK) with 405 before the webapp sees it: a servlet's default
 * {@code doTrace} echoes the request, cookies included. Tomcat refuses TRACE in its connector and a Jetty
 * base in its webdefault.xml; the embedded server uses neither, so it refuses TRACE here.
 */
final class NoTraceHandler extends Handler.Wrapper {

    NoTraceHandler(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        if ("TRACE".equals(method) || "TRACK".equals(method)) {
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        return super.handle(request, response, callback);
    }
}
