package org.openess.gateway.archive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A Cloud Storage JSON API server for the tests, on a loopback port, speaking the wire protocol the
 * real {@code google-cloud-storage} client uses: object get (metadata, and content with
 * {@code alt=media} under /storage or /download), list
 * with prefix and paging, multipart uploads, resumable uploads (initiation, chunked PUTs with
 * Content-Range, 308 Resume Incomplete, status queries), delete, generation preconditions and
 * CRC32C/MD5 checks on upload. Like the real service, an object appears only when its upload is
 * complete and its checksums match. Faults can be injected per request: an HTTP status, a hang
 * before or after the request is carried out (the client times out), or a flipped byte.
 */
final class GcsHttpDouble implements AutoCloseable {
    enum FaultKind {
        /** Answer with the given status without doing anything. */
        STATUS,
        /** Hang past the client's timeout before doing anything. */
        HANG_BEFORE,
        /** Carry the request out, then hang: the client never learns it succeeded. */
        HANG_AFTER,
        /** Flip one byte of the uploaded content, as a bad link would. */
        CORRUPT
    }

    /** What a fault sees of a request. */
    record Request(String method, String path, Map<String, String> query) {
        boolean isUpload() {
            return path.startsWith("/upload/");
        }

        @Override
        public String toString() {
            return method + " " + path + (query.isEmpty() ? "" : " " + query);
        }
    }

    record StoredObject(String bucket, String name, byte[] content, String contentType, long generation, Instant created) {
    }

    private record Fault(Predicate<Request> when, FaultKind kind, int status, int[] remaining) {
    }

    private static final class Session {
        final String id;
        final String bucket;
        final JsonNode metadata;
        final Map<String, String> query;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        StoredObject result;

        Session(String id, String bucket, JsonNode metadata, Map<String, String> query) {
            this.id = id;
            this.bucket = bucket;
            this.metadata = metadata;
            this.query = query;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Map<String, StoredObject>> buckets = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final AtomicLong generations = new AtomicLong(1_700_000_000_000_000L);
    private volatile long hangMillis = 3000;

    GcsHttpDouble(String... bucketNames) throws IOException {
        for (String b : bucketNames) {
            buckets.put(b, Collections.synchronizedMap(new TreeMap<>()));
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How long a HANG fault holds the connection; longer than the client's read timeout in the tests. */
    void hangFor(long millis) {
        hangMillis = millis;
    }

    void inject(Predicate<Request> when, FaultKind kind, int status, int times) {
        faults.add(new Fault(when, kind, status, new int[] { times }));
    }

    void clearFaults() {
        faults.clear();
    }

    /** Every request as "METHOD path {query}", in arrival order. */
    List<String> requests() {
        return List.copyOf(log);
    }

    void clearLog() {
        log.clear();
    }

    Map<String, StoredObject> objects(String bucket) {
        synchronized (buckets.get(bucket)) {
            return new TreeMap<>(buckets.get(bucket));
        }
    }

    int openSessions() {
        return (int) sessions.values().stream().filter(s -> s.result == null).count();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            URI uri = ex.getRequestURI();
            Request req = new Request(ex.getRequestMethod(), uri.getRawPath(), query(uri.getRawQuery()));
            log.add(req.toString());
            Fault fault = takeFault(req);
            byte[] body = readBody(ex);
            if (fault != null && fault.kind() == FaultKind.STATUS) {
                error(ex, fault.status(), "injected " + fault.status());
                return;
            }
            if (fault != null && fault.kind() == FaultKind.HANG_BEFORE) {
                sleep(hangMillis);
                return;
            }
            Response r = route(ex, req, body, fault != null && fault.kind() == FaultKind.CORRUPT);
            if (fault != null && fault.kind() == FaultKind.HANG_AFTER) {
                sleep(hangMillis);
                return;
            }
            r.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            if (r.body == null || r.body.length == 0) {
                ex.sendResponseHeaders(r.status, -1);
            } else {
                ex.sendResponseHeaders(r.status, r.body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(r.body);
                }
            }
        } catch (RuntimeException e) {
            error(ex, 500, e.toString());
        }
    }

    private record Response(int status, byte[] body, Map<String, String> headers) {
        static Response json(int status, Object node) {
            try {
                return new Response(status, JSON.writeValueAsBytes(node), new LinkedHashMap<>(Map.of("Content-Type",
                        "application/json; charset=UTF-8")));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Response error(int status, String message) {
            ObjectNode root = JSON.createObjectNode();
            ObjectNode err = root.putObject("error");
            err.put("code", status);
            err.put("message", message);
            err.putArray("errors").addObject().put("message", message).put("domain", "global").put("reason",
                    status == 404 ? "notFound" : status == 412 ? "conditionNotMet" : status == 400 ? "invalid" : "backendError");
            return json(status, root);
        }
    }

    private Response route(HttpExchange ex, Request req, byte[] body, boolean corrupt) throws IOException {
        String[] p = req.path().split("/");
        // /storage/v1/b/{bucket}/o[/{object}]   /upload/storage/v1/b/{bucket}/o
        boolean upload = req.isUpload();
        int base = upload || req.path().startsWith("/download/") ? 1 : 0;
        if (p.length < 5 + base || !p[1 + base].equals("storage") || !p[2 + base].equals("v1") || !p[3 + base].equals("b")) {
            return Response.error(404, "no such API: " + req.path());
        }
        String bucket = decode(p[4 + base]);
        Map<String, StoredObject> objects = buckets.get(bucket);
        if (objects == null) {
            return Response.error(404, "The specified bucket does not exist.");
        }
        if (p.length == 5 + base) {
            return req.method().equals("GET") ? Response.json(200, bucketJson(bucket)) : Response.error(405, "bucket: " + req.method());
        }
        if (!p[5 + base].equals("o")) {
            return Response.error(404, "no such API: " + req.path());
        }
        if (upload) {
            return upload(ex, req, bucket, body, corrupt);
        }
        if (p.length == 6 + base) {
            return req.method().equals("GET") ? list(bucket, req.query()) : Response.error(405, "objects: " + req.method());
        }
        String name = decode(String.join("/", java.util.Arrays.copyOfRange(p, 6 + base, p.length)));
        StoredObject o = objects.get(name);
        return switch (req.method()) {
            case "GET" -> {
                if (o == null) {
                    yield Response.error(404, "No such object: " + bucket + "/" + name);
                }
                if ("media".equals(req.query().get("alt"))) {
                    yield new Response(200, o.content(), new LinkedHashMap<>(Map.of("Content-Type", o.contentType(),
                            "X-Goog-Hash", "crc32c=" + crc32c(o.content()) + ",md5=" + md5(o.content()),
                            "X-Goog-Generation", Long.toString(o.generation()))));
                }
                yield Response.json(200, objectJson(o));
            }
            case "DELETE" -> {
                if (o == null) {
                    yield Response.error(404, "No such object: " + bucket + "/" + name);
                }
                objects.remove(name);
                yield new Response(204, null, Map.of());
            }
            default -> Response.error(405, "object: " + req.method());
        };
    }

    private Response list(String bucket, Map<String, String> q) {
        String prefix = q.getOrDefault("prefix", "");
        int max = Integer.parseInt(q.getOrDefault("maxResults", "1000"));
        String after = q.get("pageToken");
        List<StoredObject> matching = new ArrayList<>();
        for (StoredObject o : objects(bucket).values()) {
            if (o.name().startsWith(prefix) && (after == null || o.name().compareTo(after) > 0)) {
                matching.add(o);
            }
        }
        ObjectNode root = JSON.createObjectNode().put("kind", "storage#objects");
        var items = root.putArray("items");
        for (int i = 0; i < Math.min(max, matching.size()); i++) {
            items.add(objectJson(matching.get(i)));
        }
        if (matching.size() > max) {
            root.put("nextPageToken", matching.get(max - 1).name());
        }
        return Response.json(200, root);
    }

    private Response upload(HttpExchange ex, Request req, String bucket, byte[] body, boolean corrupt) throws IOException {
        String type = req.query().getOrDefault("uploadType", "");
        if (req.method().equals("POST") && type.equals("multipart")) {
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            byte[] decoded = "gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding")) ? gunzip(body) : body;
            List<byte[]> parts = multipart(decoded, boundary(contentType));
            if (parts.size() != 2) {
                return Response.error(400, "multipart upload needs metadata and media, got " + parts.size() + " part(s)");
            }
            JsonNode metadata = JSON.readTree(partBody(parts.get(0)));
            byte[] media = partBody(parts.get(1));
            if (corrupt && media.length > 0) {
                media[media.length / 2] ^= 0x01;
            }
            return finish(bucket, metadata, req.query(), media, partType(parts.get(1)), null);
        }
        if (req.method().equals("POST") && type.equals("resumable")) {
            JsonNode metadata = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            String id = UUID.randomUUID().toString();
            sessions.put(id, new Session(id, bucket, metadata, req.query()));
            String location = endpoint() + "/upload/storage/v1/b/" + bucket + "/o?uploadType=resumable&upload_id=" + id;
            return new Response(200, null, new LinkedHashMap<>(Map.of("Location", location, "X-GUploader-UploadID", id)));
        }
        if (req.method().equals("PUT") && type.equals("resumable")) {
            Session s = sessions.get(req.query().get("upload_id"));
            if (s == null) {
                return Response.error(404, "no such upload session");
            }
            if (corrupt && body.length > 0) {
                body[body.length / 2] ^= 0x01;
            }
            return resumableChunk(ex, s, body);
        }
        if (req.method().equals("DELETE") && type.equals("resumable")) {
            sessions.remove(req.query().get("upload_id"));
            return new Response(499, null, Map.of());
        }
        return Response.error(400, "unsupported upload: " + req);
    }

    private Response resumableChunk(HttpExchange ex, Session s, byte[] body) throws IOException {
        synchronized (s) {
            if (s.result != null) {
                return Response.json(200, objectJson(s.result));
            }
            String range = ex.getRequestHeaders().getFirst("Content-Range");
            if (range == null || !range.startsWith("bytes ")) {
                return Response.error(400, "resumable PUT without Content-Range");
            }
            String spec = range.substring("bytes ".length()).trim();
            String[] rangeAndTotal = spec.split("/");
            long total = rangeAndTotal[1].equals("*") ? -1 : Long.parseLong(rangeAndTotal[1]);
            long persisted = s.received.size();
            if (!rangeAndTotal[0].equals("*")) {
                String[] se = rangeAndTotal[0].split("-");
                long start = Long.parseLong(se[0]);
                long end = Long.parseLong(se[1]);
                if (end - start + 1 != body.length) {
                    return Response.error(400, "Content-Range " + spec + " does not match " + body.length + " body bytes");
                }
                if (start > persisted) {
                    return Response.error(400, "chunk starts at " + start + " but only " + persisted + " bytes are persisted");
                }
                int skip = (int) (persisted - start);
                if (skip < body.length) {
                    s.received.write(body, skip, body.length - skip);
                }
                persisted = s.received.size();
            }
            if (total >= 0 && persisted == total) {
                Response r = finish(s.bucket, s.metadata, s.query, s.received.toByteArray(),
                        s.metadata.path("contentType").asText("application/octet-stream"), ex.getRequestHeaders().getFirst("X-Goog-Hash"));
                if (r.status() == 200) {
                    s.result = objects(s.bucket).get(s.metadata.get("name").asText());
                } else {
                    // a final request GCS refuses ends the session, as on the real service
                    sessions.remove(s.id);
                }
                return r;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            if (persisted > 0) {
                headers.put("Range", "bytes=0-" + (persisted - 1));
            }
            return new Response(308, null, headers);
        }
    }

    /** Stores the object if preconditions and checksums hold; otherwise nothing becomes visible. */
    private Response finish(String bucket, JsonNode metadata, Map<String, String> query, byte[] content, String contentType,
            String hashHeader) {
        String name = metadata.path("name").asText(query.get("name"));
        if (name == null || name.isEmpty()) {
            return Response.error(400, "object name missing");
        }
        String crc = crc32c(content);
        String md5 = md5(content);
        if (metadata.hasNonNull("crc32c") && !metadata.get("crc32c").asText().equals(crc)) {
            return Response.error(400, "Provided CRC32C \"" + metadata.get("crc32c").asText() + "\" doesn't match calculated CRC32C \""
                    + crc + "\".");
        }
        if (metadata.hasNonNull("md5Hash") && !metadata.get("md5Hash").asText().equals(md5)) {
            return Response.error(400, "Provided MD5 hash \"" + metadata.get("md5Hash").asText()
                    + "\" doesn't match calculated MD5 hash \"" + md5 + "\".");
        }
        if (hashHeader != null) {
            for (String h : hashHeader.split(",")) {
                String[] kv = h.trim().split("=", 2);
                String want = kv[0].equals("crc32c") ? crc : kv[0].equals("md5") ? md5 : null;
                if (want != null && !want.equals(kv[1])) {
                    return Response.error(400, "X-Goog-Hash " + kv[0] + " " + kv[1] + " doesn't match calculated " + want);
                }
            }
        }
        Map<String, StoredObject> objects = buckets.get(bucket);
        synchronized (objects) {
            StoredObject existing = objects.get(name);
            String ifGen = query.get("ifGenerationMatch");
            if (ifGen != null) {
                long want = Long.parseLong(ifGen);
                long have = existing == null ? 0 : existing.generation();
                if (want != have) {
                    return Response.error(412, "At least one of the pre-conditions you specified did not hold.");
                }
            }
            StoredObject o = new StoredObject(bucket, name, content, metadata.path("contentType").asText(contentType),
                    generations.incrementAndGet(), Instant.now());
            objects.put(name, o);
            return Response.json(200, objectJson(o));
        }
    }

    private ObjectNode bucketJson(String bucket) {
        return JSON.createObjectNode().put("kind", "storage#bucket").put("id", bucket).put("name", bucket)
                .put("location", "ASIA-NORTHEAST3").put("storageClass", "STANDARD").put("timeCreated", "2026-01-01T00:00:00.000Z");
    }

    private ObjectNode objectJson(StoredObject o) {
        String id = o.bucket() + "/" + o.name() + "/" + o.generation();
        return JSON.createObjectNode().put("kind", "storage#object").put("id", id).put("name", o.name()).put("bucket", o.bucket())
                .put("generation", Long.toString(o.generation())).put("metageneration", "1").put("contentType", o.contentType())
                .put("size", Long.toString(o.content().length)).put("md5Hash", md5(o.content())).put("crc32c", crc32c(o.content()))
                .put("etag", "C" + o.generation()).put("storageClass", "STANDARD")
                .put("timeCreated", o.created().toString()).put("updated", o.created().toString());
    }

    private Fault takeFault(Request req) {
        for (Fault f : faults) {
            synchronized (f) {
                if (f.remaining()[0] > 0 && f.when().test(req)) {
                    f.remaining()[0]--;
                    return f;
                }
            }
        }
        return null;
    }

    static String crc32c(byte[] content) {
        CRC32C c = new CRC32C();
        c.update(content);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) c.getValue()).array());
    }

    static String md5(byte[] content) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    private static String boundary(String contentType) {
        for (String part : contentType.split(";")) {
            String t = part.trim();
            if (t.startsWith("boundary=")) {
                return t.substring("boundary=".length()).replace("\"", "");
            }
        }
        throw new IllegalArgumentException("multipart without boundary: " + contentType);
    }

    /** The parts of a multipart/related body, each with its headers. */
    private static List<byte[]> multipart(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> parts = new ArrayList<>();
        int pos = indexOf(body, delimiter, 0);
        while (pos >= 0) {
            int start = pos + delimiter.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                break;
            }
            start += 2; // CRLF after the delimiter
            int next = indexOf(body, delimiter, start);
            if (next < 0) {
                break;
            }
            int end = next - 2; // CRLF before the next delimiter
            parts.add(java.util.Arrays.copyOfRange(body, start, end));
            pos = next;
        }
        return parts;
    }

    private static byte[] partBody(byte[] part) {
        int split = indexOf(part, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        return java.util.Arrays.copyOfRange(part, split + 4, part.length);
    }

    private static String partType(byte[] part) {
        int split = indexOf(part, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        for (String line : new String(part, 0, split, StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase().startsWith("content-type:")) {
                return line.substring("content-type:".length()).trim();
            }
        }
        return "application/octet-stream";
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            q.put(decodeQuery(k), decodeQuery(v));
        }
        return q;
    }

    private static String decodeQuery(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Path segments: percent-decoding only ('+' is a plus in a path). */
    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        Response r = Response.error(status, message);
        r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(status, r.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(r.body());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
