package io.parley.message.api;

import io.parley.kit.ApiResponses;
import io.parley.kit.Caller;
import io.parley.kit.Problem;
import io.parley.message.domain.Attachment;
import io.parley.message.domain.AttachmentJson;
import io.parley.message.domain.FileRefused;
import io.parley.message.domain.FileService;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpClosedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.core.multipart.MultipartParser;

/**
 * Uploads a file to a conversation (the files contract, section 1). Quarkus REST writes the part named {@code file}
 * to a temporary file on disk while the body arrives (never whole in memory); the method then runs on a worker thread,
 * and the temporary file is deleted whatever the outcome (and by Quarkus at the end of the request as well). A body
 * whose Content-Length is above {@code parley.files.max-size} + 64 KiB is refused before it is read
 * ({@link BodyLimits}).
 */
@Path("/api/conversations/{conversationId}/attachments")
@RolesAllowed({"client", "expert", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class UploadResource {

    private final FileService files;
    private final JsonWebToken jwt;

    public UploadResource(FileService files, JsonWebToken jwt) {
        this.files = files;
        this.jwt = jwt;
    }

    /**
     * {@code 201} + {@code Location} with the Attachment JSON; {@code 404} (may not use the conversation), {@code 429}
     * (+ Retry-After), {@code 400} (not exactly one part named file, or an empty file), {@code 413}, {@code 415},
     * {@code 503} (the store failed).
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload a file (multipart/form-data, one part named file)")
    @APIResponse(
            responseCode = "201",
            description = "Stored",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = Schemas.Attachment.class)),
            headers =
                    @org.eclipse.microprofile.openapi.annotations.headers.Header(
                            name = "Location",
                            description = "/api/attachments/{id}",
                            schema =
                                    @Schema(
                                            type =
                                                    org.eclipse.microprofile.openapi.annotations.enums.SchemaType
                                                            .STRING)))
    @APIResponse(responseCode = "400", ref = ApiResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = ApiResponses.TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ApiResponses.UNSUPPORTED)
    @APIResponse(responseCode = "429", ref = ApiResponses.TOO_MANY)
    @APIResponse(responseCode = "503", ref = ApiResponses.UNAVAILABLE)
    public Response upload(
            @PathParam("conversationId")
                    @Parameter(
                            description = "The conversation's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String conversationId,
            @RestForm("file") List<FileUpload> parts) {
        try {
            UUID conversation = Problem.parseId(conversationId);
            // a part named file without a filename is a form value, not a file: it has no uploaded file
            FileUpload part =
                    parts != null && parts.size() == 1 && parts.get(0).uploadedFile() != null ? parts.get(0) : null;
            Attachment row = files.upload(
                    Caller.of(jwt),
                    conversation,
                    part == null ? null : part.uploadedFile(),
                    part == null ? null : part.fileName());
            // a path, not an absolute URL: behind the gateway this service's own host means nothing to the client
            return Response.status(Response.Status.CREATED)
                    .header("Location", AttachmentJson.url(row.id()))
                    .entity(AttachmentJson.of(row))
                    .build();
        } finally {
            if (parts != null) {
                for (FileUpload part : parts) {
                    if (part.uploadedFile() == null) {
                        continue;
                    }
                    try {
                        Files.deleteIfExists(part.uploadedFile());
                    } catch (IOException e) {
                        Log.warnf("upload temp file %s not deleted: %s", part.uploadedFile(), e.toString());
                    }
                }
            }
        }
    }

    /** What the framework's multipart parser says when a body ends before its closing boundary. */
    private static final String INCOMPLETE_MULTIPART = "Connection terminated parsing multipart request";

    /**
     * A body that could not be read: when the client closed the connection midway (an upload cut off), nobody is left
     * to answer and nothing was stored (Quarkus deletes the part's temporary file); {@code 400} all the same. A body
     * that came whole but is not complete multipart (no closing boundary, another boundary) is a {@code 400} too.
     */
    @ServerExceptionMapper
    public Response unreadable(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpClosedException) {
                Log.debugf("upload cut off by the client: %s", e.toString());
                return Problem.badRequest("The upload was cut off.").getResponse();
            }
        }
        if (INCOMPLETE_MULTIPART.equals(e.getMessage())) {
            // the whole body came, but its parts never reached the closing boundary (or used another boundary)
            return Problem.badRequest("The body is not a complete multipart/form-data body.")
                    .getResponse();
        }
        Log.error("upload body not read", e);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "The server failed to handle the request.")
                .getResponse();
    }

    /** A multipart body the framework's parser cannot read (a header line broken by CR or LF, say): {@code 400}. */
    @ServerExceptionMapper
    public Response malformed(MultipartParser.MalformedMessageException e) {
        return Problem.badRequest("The body is not a well-formed multipart/form-data body.")
                .getResponse();
    }

    /**
     * The framework's multipart parser fails with this on a part whose {@code Content-Type} is not a media type:
     * {@code 400}. Thrown from anywhere else, it is a fault of this service: {@code 500}, logged.
     */
    @ServerExceptionMapper
    public Response unreadablePart(IllegalArgumentException e) {
        return fromMultipartParser(e);
    }

    /**
     * The framework's multipart parser fails with this on {@code Content-Type: multipart/form-data; boundary=} (an
     * empty boundary): {@code 400}. Thrown from anywhere else: {@code 500}, logged.
     */
    @ServerExceptionMapper
    public Response unreadableBoundary(IndexOutOfBoundsException e) {
        return fromMultipartParser(e);
    }

    private static Response fromMultipartParser(RuntimeException e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().startsWith(MultipartParser.class.getPackageName() + ".")) {
                return Problem.badRequest("The body is not a well-formed multipart/form-data body.")
                        .getResponse();
            }
        }
        Log.error("unexpected failure", e);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "The server failed to handle the request.")
                .getResponse();
    }

    /** Any body that is not multipart/form-data: {@code 400} (after {@code 404} for who may not use the conversation). */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Response notMultipart(
            @PathParam("conversationId")
                    @Parameter(
                            description = "The conversation's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String conversationId) {
        files.requireAccess(Caller.of(jwt), Problem.parseId(conversationId));
        throw new FileRefused(
                FileRefused.Reason.BAD_REQUEST,
                "A multipart/form-data body with exactly one part named file is required.");
    }
}
