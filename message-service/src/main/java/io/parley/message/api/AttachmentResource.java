package io.parley.message.api;

import io.parley.kit.ApiResponses;
import io.parley.kit.Caller;
import io.parley.kit.Problem;
import io.parley.message.domain.Attachment;
import io.parley.message.domain.AttachmentJson;
import io.parley.message.domain.FileService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * An uploaded file (the files contract, sections 3 and 4): its bytes, thumbnail and Attachment JSON to whoever may read
 * its conversation now, and its cancellation by its uploader. Everything else (unknown, deleted, not visible) is the
 * same {@code 404}. Bytes are streamed from the file store on a worker thread, never held whole in memory.
 */
@Path("/api/attachments/{id}")
@RolesAllowed({"client", "expert", "admin"})
public class AttachmentResource {

    /** Types a browser may show in place; everything else is saved ({@code Content-Disposition: attachment}). */
    static final Set<String> INLINE =
            Set.of("image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain");

    static final String CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'";

    private final FileService files;
    private final JsonWebToken jwt;

    public AttachmentResource(FileService files, JsonWebToken jwt) {
        this.files = files;
        this.jwt = jwt;
    }

    /** The file's bytes: {@code 200}, {@code 206} (one range), {@code 304}, {@code 416} or {@code 404}. */
    @GET
    @Operation(summary = "The file's bytes (ranges and conditional requests)")
    @APIResponse(
            responseCode = "200",
            description = "The bytes",
            content =
                    @Content(
                            mediaType = "*/*",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "binary")))
    @APIResponse(
            responseCode = "206",
            description = "One range",
            content =
                    @Content(
                            mediaType = "*/*",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "binary")))
    @APIResponse(responseCode = "304", description = "Not modified (If-None-Match)")
    @APIResponse(responseCode = "416", description = "The range cannot be satisfied")
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    public Response download(
            @PathParam("id")
                    @Parameter(
                            description = "The attachment's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String id,
            @HeaderParam("Range") String range,
            @HeaderParam("If-None-Match") String ifNoneMatch,
            @HeaderParam("If-Range") String ifRange) {
        return serve(files.visible(Caller.of(jwt), parse(id)), false, range, ifNoneMatch, ifRange, true);
    }

    /** As GET, without the body. */
    @HEAD
    @Operation(summary = "The file's headers")
    @APIResponse(responseCode = "200", description = "The headers")
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    public Response head(
            @PathParam("id")
                    @Parameter(
                            description = "The attachment's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String id,
            @HeaderParam("Range") String range,
            @HeaderParam("If-None-Match") String ifNoneMatch,
            @HeaderParam("If-Range") String ifRange) {
        return serve(files.visible(Caller.of(jwt), parse(id)), false, range, ifNoneMatch, ifRange, false);
    }

    /** The thumbnail (image/jpeg or image/png, at most 320 px on the long side), with the rules of GET; 404 if none. */
    @GET
    @Path("/thumbnail")
    @Operation(summary = "An image's thumbnail")
    @APIResponse(
            responseCode = "200",
            description = "The thumbnail (image/jpeg or image/png)",
            content =
                    @Content(
                            mediaType = "*/*",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "binary")))
    @APIResponse(
            responseCode = "206",
            description = "One range",
            content =
                    @Content(
                            mediaType = "*/*",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "binary")))
    @APIResponse(responseCode = "304", description = "Not modified (If-None-Match)")
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    @APIResponse(responseCode = "416", description = "The range cannot be satisfied")
    public Response thumbnail(
            @PathParam("id")
                    @Parameter(
                            description = "The attachment's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String id,
            @HeaderParam("Range") String range,
            @HeaderParam("If-None-Match") String ifNoneMatch,
            @HeaderParam("If-Range") String ifRange) {
        return serve(withThumbnail(id), true, range, ifNoneMatch, ifRange, true);
    }

    /** As GET of the thumbnail, without the body. */
    @HEAD
    @Path("/thumbnail")
    @Operation(summary = "The thumbnail's headers")
    @APIResponse(responseCode = "200", description = "The headers")
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    public Response thumbnailHead(
            @PathParam("id")
                    @Parameter(
                            description = "The attachment's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String id,
            @HeaderParam("Range") String range,
            @HeaderParam("If-None-Match") String ifNoneMatch,
            @HeaderParam("If-Range") String ifRange) {
        return serve(withThumbnail(id), true, range, ifNoneMatch, ifRange, false);
    }

    /** The Attachment JSON. */
    @GET
    @Path("/meta")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The file's Attachment")
    @APIResponse(
            responseCode = "200",
            description = "The Attachment",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = Schemas.Attachment.class)))
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    public Map<String, Object> meta(
            @PathParam("id")
                    @Parameter(
                            description = "The attachment's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String id) {
        return AttachmentJson.of(files.visible(Caller.of(jwt), parse(id)));
    }

    /** Cancels the caller's upload while it is not attached: {@code 204}; attached: {@code 409}; else {@code 404}. */
    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cancel an upload not yet attached")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiResponses.CONFLICT)
    public Response cancel(
            @PathParam("id")
                    @Parameter(
                            description = "The attachment's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String id) {
        files.cancel(Caller.of(jwt), parse(id));
        return Response.noContent().build();
    }

    private Attachment withThumbnail(String id) {
        Attachment row = files.visible(Caller.of(jwt), parse(id));
        if (row.thumbnailKey() == null) {
            throw notFound();
        }
        return row;
    }

    private Response serve(
            Attachment row, boolean thumbnail, String range, String ifNoneMatch, String ifRange, boolean body) {
        String etag = "\"" + row.sha256() + (thumbnail ? "-thumbnail" : "") + "\"";
        long size = thumbnail ? row.thumbnailSize() : row.size();
        String type = thumbnail ? row.thumbnailType() : row.contentType();
        String key = thumbnail ? row.thumbnailKey() : row.storageKey();
        String name = thumbnail ? thumbnailName(row.name(), type) : row.name();

        if (EntityTags.noneMatchHits(ifNoneMatch, etag)) {
            return headers(Response.notModified(), etag, type, name).build();
        }
        ByteRange asked =
                EntityTags.rangeAllowed(ifRange, etag) ? ByteRange.parse(range, size) : ByteRange.parse(null, size);
        return switch (asked.kind()) {
            case UNSATISFIABLE ->
                headers(
                                Response.fromResponse(Problem.of(
                                                Response.Status.REQUESTED_RANGE_NOT_SATISFIABLE,
                                                "The range is beyond the file's " + size + " bytes.")
                                        .getResponse()),
                                etag,
                                type,
                                name)
                        .header("Content-Range", "bytes */" + size)
                        .build();
            case PARTIAL -> {
                Response.ResponseBuilder partial = headers(Response.status(206), etag, type, name)
                        .type(type)
                        .header("Content-Range", "bytes " + asked.first() + "-" + asked.last() + "/" + size)
                        .header("Content-Length", asked.length());
                yield (body ? partial.entity(stream(key, asked.first(), asked.length())) : partial).build();
            }
            case WHOLE -> {
                Response.ResponseBuilder whole =
                        headers(Response.ok(), etag, type, name).type(type).header("Content-Length", size);
                yield (body ? whole.entity(stream(key, 0, -1)) : whole).build();
            }
        };
    }

    /** The headers of every answer about a file's bytes, whatever the status. */
    private static Response.ResponseBuilder headers(
            Response.ResponseBuilder builder, String etag, String type, String name) {
        return builder.header("ETag", etag)
                .header("Accept-Ranges", "bytes")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "private, max-age=31536000, immutable")
                .header("Cross-Origin-Resource-Policy", "same-origin")
                .header("Content-Security-Policy", "application/pdf".equals(type) ? CSP : CSP + "; sandbox")
                .header("Content-Disposition", ContentDisposition.of(INLINE.contains(type), name));
    }

    /** The bytes, opened now (so a missing file is a 404 before anything is sent), copied out as they are read. */
    private StreamingOutput stream(String key, long offset, long length) {
        InputStream in = files.open(key, offset, length);
        return out -> {
            try (in) {
                in.transferTo(out);
            }
        };
    }

    /** {@code photo.png} → {@code photo.thumbnail.jpg}. */
    static String thumbnailName(String name, String type) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return base + ".thumbnail." + ("image/png".equals(type) ? "png" : "jpg");
    }

    private static UUID parse(String id) {
        try {
            return io.parley.kit.Uuids.parse(id);
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
    }

    private static RuntimeException notFound() {
        return new io.parley.message.domain.FileRefused(
                io.parley.message.domain.FileRefused.Reason.NOT_FOUND, "No such attachment.");
    }
}
