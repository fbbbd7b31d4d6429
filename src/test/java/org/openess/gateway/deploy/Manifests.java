package org.openess.gateway.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The deployment files as objects: the kustomization rendered by {@code kubectl kustomize}, the
 * Cloud Run job with its documented example parameters filled in, and the facts of the JVM image
 * ({@code src/main/docker/Dockerfile.jvm}) that the manifests depend on.
 */
final class Manifests {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path OVERLAY = ROOT.resolve("k8s/overlays/example-site");
    static final Path CLOUD_RUN_JOB = ROOT.resolve("cloudrun/archive-job.yaml");
    static final Path DOCKERFILE_JVM = ROOT.resolve("src/main/docker/Dockerfile.jvm");
    static final Path SCHEMA_CHECK = ROOT.resolve("src/test/k8s-schema");
    static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private Manifests() {
    }

    /** One container of a workload, with where it came from for messages. */
    record Container(String owner, JsonNode podSpec, JsonNode container) {
        String label() {
            return owner + " container " + container.path("name").asText("?");
        }

        List<String> args() {
            List<String> out = new ArrayList<>();
            container.path("command").forEach(n -> out.add(n.asText()));
            container.path("args").forEach(n -> out.add(n.asText()));
            return out;
        }
    }

    static List<JsonNode> kustomize(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + err);
        }
        return readAll(new String(out, StandardCharsets.UTF_8));
    }

    static List<JsonNode> readAll(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(new StringReader(yaml))) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    docs.add(n);
                }
            }
        }
        return docs;
    }

    /**
     * The Cloud Run job's parameters and their example values, from the {@code export ...} lines
     * of the file's own header (the documented way to fill it in).
     */
    static Map<String, String> cloudRunParameters() throws IOException {
        String text = Files.readString(CLOUD_RUN_JOB);
        Map<String, String> params = new LinkedHashMap<>();
        Matcher exports = Pattern.compile("(?m)^#\\s+(?:export\\s+)?((?:[A-Z_]+=(?:'[^']*'|\\S+)\\s*(?:\\\\\\s*)?)+)$").matcher(text);
        Pattern assignment = Pattern.compile("([A-Z_]+)=('[^']*'|[^\\s\\\\]+)");
        while (exports.find()) {
            Matcher a = assignment.matcher(exports.group(1));
            while (a.find()) {
                params.put(a.group(1), a.group(2).replaceAll("^'|'$", ""));
            }
        }
        return params;
    }

    /** The placeholders ({@code ${NAME}}) the job file uses. */
    static List<String> cloudRunPlaceholders() throws IOException {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}").matcher(stripComments(Files.readString(CLOUD_RUN_JOB)));
        while (m.find()) {
            if (!names.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The job with every placeholder replaced by its example value, as envsubst would. */
    static JsonNode cloudRunJob() throws IOException {
        Map<String, String> params = cloudRunParameters();
        String text = Files.readString(CLOUD_RUN_JOB);
        Matcher m = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(params.getOrDefault(m.group(1), "")));
        }
        m.appendTail(out);
        List<JsonNode> docs = readAll(out.toString());
        if (docs.size() != 1) {
            throw new IllegalStateException(CLOUD_RUN_JOB + ": expected one document, found " + docs.size());
        }
        return docs.get(0);
    }

    private static String stripComments(String yaml) {
        return yaml.replaceAll("(?m)^\\s*#.*$", "");
    }

    static List<Container> containers(List<JsonNode> objects) {
        List<Container> out = new ArrayList<>();
        for (JsonNode o : objects) {
            String owner = o.path("kind").asText() + "/" + o.path("metadata").path("name").asText();
            JsonNode podSpec = switch (o.path("kind").asText()) {
                case "Deployment", "StatefulSet", "DaemonSet", "Job" -> o.path("spec").path("template").path("spec");
                case "CronJob" -> o.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
                default -> null;
            };
            if (o.path("apiVersion").asText().startsWith("run.googleapis.com/")) {
                podSpec = o.path("spec").path("template").path("spec").path("template").path("spec");
            }
            if (podSpec != null) {
                for (JsonNode c : podSpec.path("containers")) {
                    out.add(new Container(owner, podSpec, c));
                }
                for (JsonNode c : podSpec.path("initContainers")) {
                    out.add(new Container(owner, podSpec, c));
                }
            }
        }
        return out;
    }

    static JsonNode only(List<JsonNode> objects, String kind) {
        List<JsonNode> found = objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }

    /** Each properties file of a ConfigMap, parsed: file name → properties. */
    static Map<String, Properties> propertiesFiles(JsonNode configMap) throws IOException {
        Map<String, Properties> files = new LinkedHashMap<>();
        for (var it = configMap.path("data").fields(); it.hasNext();) {
            var e = it.next();
            if (e.getKey().endsWith(".properties")) {
                Properties p = new Properties();
                p.load(new StringReader(e.getValue().asText()));
                files.put(e.getKey(), p);
            }
        }
        return files;
    }

    static Map<String, String> secretData(JsonNode secret) {
        Map<String, String> out = new LinkedHashMap<>();
        secret.path("data").fields().forEachRemaining(e -> out.put(e.getKey(),
                new String(Base64.getDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8)));
        secret.path("stringData").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** Runs the npm-installed schema validator over the objects; returns its problems (empty: valid). */
    static List<String> schemaProblems(List<JsonNode> objects) throws IOException, InterruptedException {
        if (!Files.isDirectory(SCHEMA_CHECK.resolve("node_modules/kubernetes-models"))) {
            throw new IllegalStateException("the schema validator is not installed: run scripts/test.sh, or "
                    + "npm ci --prefix src/test/k8s-schema (kubernetes-models from npm, pinned in its package-lock.json)");
        }
        ArrayNode input = JSON.createArrayNode();
        objects.forEach(input::add);
        Process p = new ProcessBuilder("node", SCHEMA_CHECK.resolve("validate.mjs").toString()).directory(SCHEMA_CHECK.toFile())
                .redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(input));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the schema validator did not finish in 120 s");
        }
        List<String> problems = new ArrayList<>(out.lines().filter(l -> !l.startsWith("checked ")).toList());
        if (p.exitValue() != 0 && problems.isEmpty()) {
            problems.add("validator exit " + p.exitValue() + ": " + out);
        }
        if (p.exitValue() == 0 && !out.contains("checked " + objects.size() + " object(s)")) {
            problems.add("validator did not check every object: " + out);
        }
        return problems;
    }

    static ObjectNode containerEntry(JsonNode container) {
        ObjectNode n = JSON.createObjectNode();
        n.set("$container", container);
        return n;
    }

    /** ENV lines of a Dockerfile: name → value. */
    static Map<String, String> dockerfileEnv(Path dockerfile) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^ENV\\s+([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|'[^']*'|\\S*)").matcher(Files.readString(dockerfile));
        while (m.find()) {
            env.put(m.group(1), m.group(2).replaceAll("^[\"']|[\"']$", ""));
        }
        return env;
    }

    static String dockerfileInstruction(Path dockerfile, String instruction) throws IOException {
        Matcher m = Pattern.compile("(?m)^" + instruction + "\\s+(.+)$").matcher(Files.readString(dockerfile));
        String last = null;
        while (m.find()) {
            last = m.group(1).trim();
        }
        return last;
    }
}
