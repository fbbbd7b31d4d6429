package org.openess.gateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openess.gateway.deploy.Manifests.Container;
import org.openess.gateway.testsupport.DeployTest;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySizeConverter;

/**
 * The Kubernetes manifests ({@code k8s/}, rendered with {@code kubectl kustomize}) and the Cloud
 * Run job ({@code cloudrun/archive-job.yaml}) against the Kubernetes schemas and against the code:
 * every configuration key they set exists in the service (EssConfig and the Quarkus roots on the
 * classpath) and takes effect at run time, the probes and ports are the service's, the spool, the
 * archive zone, shutdown grace and memory limits agree with the configuration and the image. The
 * probe paths are requested from the running service in {@link ManifestProbesTest}, the command
 * lines run through the real CLI in {@link ManifestCommandsTest}.
 */
@DeployTest
class K8sManifestsTest {
    private static List<JsonNode> rendered;
    private static JsonNode cloudRun;
    private static ConfigKeys keys;
    private static Map<String, String> imageEnv;

    @BeforeAll
    static void load() throws Exception {
        rendered = Manifests.kustomize(Manifests.OVERLAY);
        cloudRun = Manifests.cloudRunJob();
        keys = ConfigKeys.load();
        imageEnv = Manifests.dockerfileEnv(Manifests.DOCKERFILE_JVM);
    }

    @Test
    void renderedObjectsAndCloudRunContainersMatchTheKubernetesSchemas() throws Exception {
        List<JsonNode> objects = new ArrayList<>(rendered);
        for (Container c : Manifests.containers(List.of(cloudRun))) {
            objects.add(Manifests.containerEntry(c.container()));
        }
        List<String> problems = Manifests.schemaProblems(objects);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        Set<String> kinds = new HashSet<>();
        rendered.forEach(o -> kinds.add(o.path("kind").asText()));
        assertEquals(Set.of("ServiceAccount", "ConfigMap", "Secret", "Service", "PersistentVolumeClaim", "Deployment", "CronJob"), kinds);
    }

    @Test
    void theSchemaCheckRejectsABrokenObject() throws Exception {
        // the validator must be able to fail: a Deployment with a string for replicas and no selector
        JsonNode broken = Manifests.JSON.readTree("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"x\"},"
                + "\"spec\":{\"replicas\":\"one\",\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"args\":\"archive\"}]}}}}");
        List<String> problems = Manifests.schemaProblems(List.of(broken));
        String all = String.join("\n", problems);
        assertTrue(all.contains("/spec/replicas must be integer"), all);
        assertTrue(all.contains("must have required property selector"), all);
        assertTrue(all.contains("/args must be array"), all);
    }

    /** Every key a ConfigMap file, Secret, container environment or the image sets. */
    @Test
    void everyConfigurationKeyExistsInTheServiceAndTakesEffectAtRunTime() throws Exception {
        assertTrue(keys.size() > 500, "only " + keys.size() + " keys found");
        List<String> problems = new ArrayList<>();
        Map<String, Properties> files = Manifests.propertiesFiles(Manifests.only(rendered, "ConfigMap"));
        Map<String, String> seen = new LinkedHashMap<>();
        for (var file : files.entrySet()) {
            for (String name : file.getValue().stringPropertyNames()) {
                checkKey("ConfigMap " + file.getKey(), name, keys.property(name), problems);
                String before = seen.put(name, file.getKey());
                if (before != null) {
                    problems.add(name + " is set in both " + before + " and " + file.getKey() + ": which wins depends on ordinals");
                }
            }
        }
        for (String variable : Manifests.secretData(Manifests.only(rendered, "Secret")).keySet()) {
            checkKey("Secret ess-db", variable, keys.environment(variable), problems);
        }
        List<Container> all = new ArrayList<>(Manifests.containers(rendered));
        all.addAll(Manifests.containers(List.of(cloudRun)));
        for (Container c : all) {
            for (JsonNode env : c.container().path("env")) {
                String variable = env.path("name").asText();
                if (imageEnv.containsKey(variable) && keys.environment(variable).isEmpty()) {
                    continue; // the image's own variables (JAVA_OPTS_APPEND)
                }
                checkKey(c.label() + " env", variable, keys.environment(variable), problems);
            }
        }
        for (String variable : imageEnv.keySet()) {
            if (variable.startsWith("ESS_") || variable.startsWith("QUARKUS_")) {
                checkKey("Dockerfile.jvm ENV", variable, keys.environment(variable), problems);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static void checkKey(String where, String name, Optional<ConfigKeys.Key> key, List<String> problems) {
        if (key.isEmpty()) {
            problems.add(where + ": " + name + " is not a configuration key of the service");
        } else if (key.get().phase() != ConfigPhase.RUN_TIME) {
            problems.add(where + ": " + name + " is fixed at build time (" + key.get().root() + ", " + key.get().phase()
                    + "): setting it here has no effect");
        }
    }

    /** The configuration a container sees: its env, then the Secret, then the ConfigMap files. */
    private static Optional<String> value(Container c, String property) throws IOException {
        String variable = ConfigKeys.envName(property);
        for (JsonNode env : c.container().path("env")) {
            if (env.path("name").asText().equals(variable) && env.has("value")) {
                return Optional.of(env.path("value").asText());
            }
        }
        for (JsonNode from : c.container().path("envFrom")) {
            if (from.has("secretRef")) {
                String v = Manifests.secretData(Manifests.only(rendered, "Secret")).get(variable);
                if (v != null) {
                    return Optional.of(v);
                }
            }
        }
        if (mountsConfig(c)) {
            for (Properties p : Manifests.propertiesFiles(Manifests.only(rendered, "ConfigMap")).values()) {
                if (p.getProperty(property) != null) {
                    return Optional.of(p.getProperty(property));
                }
            }
        }
        String image = imageEnv.get(variable);
        return Optional.ofNullable(image);
    }

    private static boolean mountsConfig(Container c) {
        for (JsonNode v : c.podSpec().path("volumes")) {
            if (v.has("configMap")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theConfigMapIsMountedWhereQuarkusReadsIt() throws Exception {
        String workdir = Manifests.dockerfileInstruction(Manifests.DOCKERFILE_JVM, "WORKDIR");
        assertNotNull(workdir, "Dockerfile.jvm has no WORKDIR");
        JsonNode configMap = Manifests.only(rendered, "ConfigMap");
        String configMapName = configMap.path("metadata").path("name").asText();
        Set<String> files = new HashSet<>();
        configMap.path("data").fieldNames().forEachRemaining(files::add);
        assertTrue(files.contains("application.properties"), "Quarkus reads config/application.properties: " + files);
        for (Container c : Manifests.containers(rendered)) {
            String volume = null;
            for (JsonNode v : c.podSpec().path("volumes")) {
                if (v.path("configMap").path("name").asText().equals(configMapName)) {
                    volume = v.path("name").asText();
                }
            }
            assertNotNull(volume, c.label() + " does not mount the ConfigMap " + configMapName);
            String mountPath = null;
            for (JsonNode m : c.container().path("volumeMounts")) {
                if (m.path("name").asText().equals(volume)) {
                    mountPath = m.path("mountPath").asText();
                }
            }
            assertEquals(Path.of(workdir, "config").toString(), mountPath, c.label() + ": config/ below the working directory");
            Optional<String> locations = value(c, "quarkus.config.locations");
            assertTrue(locations.isPresent(), c.label() + ": site.properties is only read through quarkus.config.locations");
            for (String location : locations.get().split(",")) {
                Path p = Path.of(location.trim());
                assertEquals(Path.of(mountPath), p.getParent(), c.label() + ": " + location + " is not in the mounted ConfigMap");
                assertTrue(files.contains(p.getFileName().toString()), c.label() + ": the ConfigMap has no " + p.getFileName());
            }
        }
    }

    @Test
    void probesAndServiceUseTheServiceHttpPort() throws Exception {
        String exposed = Manifests.dockerfileInstruction(Manifests.DOCKERFILE_JVM, "EXPOSE");
        JsonNode deployment = Manifests.only(rendered, "Deployment");
        Container gateway = Manifests.containers(List.of(deployment)).get(0);
        int httpPort = Integer.parseInt(value(gateway, "quarkus.http.port").orElseThrow(
                () -> new AssertionError("set quarkus.http.port in the ConfigMap: the probes depend on it")));
        assertEquals(Integer.toString(httpPort), exposed, "Dockerfile.jvm EXPOSE");
        Map<String, Integer> named = new LinkedHashMap<>();
        for (JsonNode p : gateway.container().path("ports")) {
            named.put(p.path("name").asText(), p.path("containerPort").asInt());
            assertEquals(httpPort, p.path("containerPort").asInt(), "containerPort " + p);
        }
        int probes = 0;
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode get = gateway.container().path(probe).path("httpGet");
            if (get.isMissingNode()) {
                assertTrue(!probe.equals("livenessProbe") && !probe.equals("readinessProbe"), probe + " missing");
                continue;
            }
            probes++;
            JsonNode port = get.path("port");
            int resolved = port.isInt() ? port.asInt() : named.getOrDefault(port.asText(), -1);
            assertEquals(httpPort, resolved, probe + " port " + port);
            assertTrue(ManifestProbesTest.probePaths().contains(get.path("path").asText()), probe + " path is checked over HTTP");
        }
        assertEquals(3, probes);
        JsonNode service = Manifests.only(rendered, "Service");
        for (JsonNode p : service.path("spec").path("ports")) {
            JsonNode target = p.path("targetPort");
            assertEquals(httpPort, target.isInt() ? target.asInt() : named.getOrDefault(target.asText(), -1), "Service targetPort");
        }
        JsonNode annotations = deployment.path("spec").path("template").path("metadata").path("annotations");
        assertEquals(Integer.toString(httpPort), annotations.path("prometheus.io/port").asText());
    }

    @Test
    void onePollerPerSpoolAndTheSpoolOnItsVolume() throws Exception {
        JsonNode deployment = Manifests.only(rendered, "Deployment");
        assertEquals(1, deployment.path("spec").path("replicas").asInt(), "one poller per site");
        assertEquals("Recreate", deployment.path("spec").path("strategy").path("type").asText(), "never two pollers on one spool");
        Container gateway = Manifests.containers(List.of(deployment)).get(0);
        String spoolDir = value(gateway, "ess.spool.dir").orElseThrow(() -> new AssertionError("ess.spool.dir is not set"));
        JsonNode pvc = Manifests.only(rendered, "PersistentVolumeClaim");
        String claim = pvc.path("metadata").path("name").asText();
        String volume = null;
        for (JsonNode v : gateway.podSpec().path("volumes")) {
            if (v.path("persistentVolumeClaim").path("claimName").asText().equals(claim)) {
                volume = v.path("name").asText();
            }
        }
        assertNotNull(volume, "the Deployment does not use the PVC " + claim);
        String mounted = null;
        for (JsonNode m : gateway.container().path("volumeMounts")) {
            if (m.path("name").asText().equals(volume)) {
                mounted = m.path("mountPath").asText();
            }
        }
        assertEquals(spoolDir, mounted, "ess.spool.dir must be the PVC's mount path");
        assertEquals("[\"ReadWriteOnce\"]", pvc.path("spec").path("accessModes").toString());
        long maxBytes = new MemorySizeConverter().convert(value(gateway, "ess.spool.max-bytes").orElseThrow()).asLongValue();
        long storage = quantity(pvc.path("spec").path("resources").path("requests").path("storage").asText());
        assertTrue(storage >= maxBytes * 5 / 4, "PVC " + storage + " B must hold ess.spool.max-bytes " + maxBytes + " B with 25 % room");
        Duration shutdown = DurationConverter.parseDuration(value(gateway, "ess.shutdown.timeout").orElseThrow());
        int grace = gateway.podSpec().path("terminationGracePeriodSeconds").asInt(30);
        assertTrue(shutdown.plusSeconds(5).compareTo(Duration.ofSeconds(grace)) <= 0,
                "ess.shutdown.timeout " + shutdown + " + 5 s must fit in terminationGracePeriodSeconds " + grace);
        String imageUser = Manifests.dockerfileInstruction(Manifests.DOCKERFILE_JVM, "USER");
        assertEquals(imageUser, gateway.podSpec().path("securityContext").path("runAsUser").asText(), "the image's user");
    }

    @Test
    void archiveCronJobRunsOnceAtATimeInTheArchiveZone() throws Exception {
        JsonNode cron = Manifests.only(rendered, "CronJob");
        Container archive = Manifests.containers(List.of(cron)).get(0);
        JsonNode spec = cron.path("spec");
        String zone = value(archive, "ess.archive.zone").orElse("Asia/Seoul");
        assertEquals(ZoneId.of(zone).getId(), spec.path("timeZone").asText(), "timeZone must be ess.archive.zone");
        assertEquals("Forbid", spec.path("concurrencyPolicy").asText());
        assertTrue(spec.path("startingDeadlineSeconds").asInt() > 0, "startingDeadlineSeconds");
        assertTrue(spec.path("jobTemplate").path("spec").has("backoffLimit"), "backoffLimit");
        assertTrue(spec.path("schedule").asText().trim().split("\\s+").length == 5, "a five-field schedule");
        List<String> args = archive.args();
        assertEquals("archive", args.get(0));
        int site = args.indexOf("--site");
        if (site >= 0) {
            String id = args.get(site + 1);
            Properties all = new Properties();
            Manifests.propertiesFiles(Manifests.only(rendered, "ConfigMap")).values().forEach(all::putAll);
            assertTrue(all.stringPropertyNames().stream().anyMatch(k -> ConfigKeys.segments(k).size() == 4
                    && ConfigKeys.segments(k).get(1).equals("devices") && ConfigKeys.segments(k).get(2).equals(id)),
                    "--site " + id + " is not a device (site) of this overlay's ess.devices");
        }
        assertTrue(value(archive, "ess.archive.target").isPresent(), "the archive needs ess.archive.target");
        // the gateway's own nightly schedule is off, or both would archive
        Container gateway = Manifests.containers(List.of(Manifests.only(rendered, "Deployment"))).get(0);
        assertEquals("off", value(gateway, "ess.archive.cron").orElse(null), "ess.archive.cron for the gateway");
    }

    @Test
    void memoryLimitsLeaveRoomAboveTheHeap() throws Exception {
        List<Container> all = new ArrayList<>(Manifests.containers(rendered));
        all.addAll(Manifests.containers(List.of(cloudRun)));
        for (Container c : all) {
            // the image's entry point runs java $JAVA_OPTS $JAVA_OPTS_APPEND: the last -Xmx wins
            String opts = env(c, "JAVA_OPTS").orElse(imageEnv.getOrDefault("JAVA_OPTS", "")) + " "
                    + env(c, "JAVA_OPTS_APPEND").orElse(imageEnv.getOrDefault("JAVA_OPTS_APPEND", ""));
            Matcher xmx = Pattern.compile("-Xmx(\\d+)([kmgKMG])").matcher(opts);
            long heap = -1;
            while (xmx.find()) {
                heap = Long.parseLong(xmx.group(1)) << switch (xmx.group(2).toLowerCase()) {
                    case "k" -> 10;
                    case "m" -> 20;
                    default -> 30;
                };
            }
            assertTrue(heap > 0, c.label() + ": no -Xmx in " + opts);
            String limit = c.container().path("resources").path("limits").path("memory").asText(null);
            assertNotNull(limit, c.label() + ": no memory limit");
            // metaspace, code cache, threads and direct buffers: ~100 MiB measured (BENCHMARKS.md)
            assertTrue(quantity(limit) >= heap + (128L << 20), c.label() + ": limit " + limit + " vs -Xmx " + (heap >> 20) + " MiB");
        }
    }

    private static Optional<String> env(Container c, String name) {
        for (JsonNode env : c.container().path("env")) {
            if (env.path("name").asText().equals(name)) {
                return Optional.of(env.path("value").asText());
            }
        }
        return Optional.empty();
    }

    @Test
    void cloudRunJobHasItsParametersATimeoutAndRetriesForADay() throws Exception {
        Map<String, String> params = Manifests.cloudRunParameters();
        for (String p : Manifests.cloudRunPlaceholders()) {
            assertTrue(params.containsKey(p), "${" + p + "} is not documented in the file's export line");
        }
        for (String p : List.of("SERVICE_ACCOUNT", "BUCKET", "DATABASE_URL", "IMAGE", "REGION")) {
            assertTrue(Manifests.cloudRunPlaceholders().contains(p), p + " must be a parameter");
        }
        assertEquals("run.googleapis.com/v1", cloudRun.path("apiVersion").asText());
        assertEquals("Job", cloudRun.path("kind").asText());
        JsonNode execution = cloudRun.path("spec").path("template").path("spec");
        int tasks = execution.path("taskCount").asInt();
        assertTrue(tasks >= 1, "taskCount");
        assertTrue(execution.path("parallelism").asInt() <= tasks, "parallelism");
        JsonNode task = execution.path("template").path("spec");
        int timeout = task.path("timeoutSeconds").asInt();
        assertTrue(timeout >= 600 && timeout <= 24 * 3600, "timeoutSeconds " + timeout);
        int retries = task.path("maxRetries").asInt(-1);
        assertTrue(retries >= 1 && retries <= 10, "maxRetries " + retries);
        assertEquals(params.get("SERVICE_ACCOUNT"), task.path("serviceAccountName").asText());
        Container c = Manifests.containers(List.of(cloudRun)).get(0);
        assertEquals(List.of("archive"), c.args(), "the archive command; each task takes its share from CLOUD_RUN_TASK_*");
        assertTrue(value(c, "ess.archive.target").orElse("").startsWith("gs://" + params.get("BUCKET")), "the bucket parameter");
        assertEquals(params.get("DATABASE_URL"), value(c, "quarkus.datasource.reactive.url").orElse(null));
        ZoneId.of(value(c, "ess.archive.zone").orElseThrow());
        for (JsonNode env : c.container().path("env")) {
            String name = env.path("name").asText();
            assertTrue(!name.contains("PASSWORD") || env.has("valueFrom"), name + " must come from Secret Manager, not a literal");
            assertTrue(!name.startsWith("CLOUD_RUN_TASK_"), name + " is set by Cloud Run itself");
        }
    }

    /** Kubernetes quantities: plain bytes, k/M/G, Ki/Mi/Gi. */
    static long quantity(String q) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?").matcher(q.trim());
        if (!m.matches()) {
            fail("not a quantity: " + q);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "Ki" -> n << 10;
            case "Mi" -> n << 20;
            case "Gi" -> n << 30;
            case "Ti" -> n << 40;
            case "k" -> n * 1000;
            case "M" -> n * 1000_000;
            case "G" -> n * 1000_000_000;
            case "T" -> n * 1000_000_000_000L;
            default -> n;
        };
    }

    /** Every command line the deployment files run: the container's args, in order. */
    static List<List<String>> commandLines() throws Exception {
        List<Container> all = new ArrayList<>(Manifests.containers(Manifests.kustomize(Manifests.OVERLAY)));
        all.addAll(Manifests.containers(List.of(Manifests.cloudRunJob())));
        List<List<String>> lines = new ArrayList<>();
        for (Container c : all) {
            if (!lines.contains(c.args())) {
                lines.add(c.args());
            }
        }
        return lines;
    }
}
