package org.openess.gateway.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.openess.gateway.config.EssConfig;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappings;

/**
 * Every configuration key the service understands, derived from the code rather than listed by
 * hand: the {@code ess.*} keys of {@link EssConfig} and the keys of every Quarkus configuration
 * root on the classpath (each extension lists its roots in
 * {@code META-INF/quarkus-config-roots.list}), as SmallRye Config itself enumerates them, with
 * {@code *} for map keys ({@code ess.devices.*.host}). Each key carries the phase of its root,
 * since a build-time key in a ConfigMap or an environment variable has no effect at run time, and
 * the default the code gives it (empty for an optional or a required key).
 */
final class ConfigKeys {
    record Key(String pattern, ConfigPhase phase, String root, Optional<String> defaultValue) {
    }

    private final TreeMap<String, Key> keys = new TreeMap<>();

    private ConfigKeys() {
    }

    static ConfigKeys load() {
        ConfigKeys k = new ConfigKeys();
        k.add(EssConfig.class, ConfigPhase.RUN_TIME);
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        try {
            Enumeration<URL> lists = cl.getResources("META-INF/quarkus-config-roots.list");
            while (lists.hasMoreElements()) {
                URL list = lists.nextElement();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(list.openStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        String name = line.trim();
                        if (name.isEmpty() || name.startsWith("#")) {
                            continue;
                        }
                        Class<?> root = Class.forName(name, false, cl);
                        ConfigRoot annotation = root.getAnnotation(ConfigRoot.class);
                        if (root.isInterface() && root.isAnnotationPresent(ConfigMapping.class)) {
                            k.add(root, annotation == null ? ConfigPhase.RUN_TIME : annotation.phase());
                        }
                    }
                }
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot list the Quarkus configuration roots: " + e, e);
        }
        if (k.keys.keySet().stream().noneMatch(p -> p.startsWith("quarkus.datasource.reactive."))) {
            throw new IllegalStateException("no quarkus.datasource.reactive.* keys found: the config roots were not read");
        }
        return k;
    }

    private void add(Class<?> mapping, ConfigPhase phase) {
        String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
        var properties = ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(mapping, prefix));
        for (var p : properties.entrySet()) {
            Optional<String> defaultValue = p.getValue().hasDefaultValue()
                    ? Optional.ofNullable(p.getValue().getDefaultValue())
                    : Optional.empty();
            keys.putIfAbsent(p.getKey(), new Key(p.getKey(), phase, mapping.getName(), defaultValue));
        }
    }

    int size() {
        return keys.size();
    }

    /** The key a property name in a properties file means, e.g. {@code ess.devices."op1".host}. */
    Optional<Key> property(String name) {
        List<String> segments = segments(name.replaceAll("\\[\\d+]", "[*]"));
        for (Key k : keys.values()) {
            if (matches(segments(k.pattern()), segments)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** The keys of {@link EssConfig}, as patterns ({@code ess.devices.*.host}). */
    List<Key> essKeys() {
        String root = EssConfig.class.getName();
        return keys.values().stream().filter(k -> k.root().equals(root)).toList();
    }

    /**
     * Whether some key starts with {@code prefix}, a name cut anywhere ({@code ess.spool.},
     * {@code ess.storage.retry-}, {@code ess.devices."x".}); map keys match any segment.
     */
    boolean anyStartingWith(String prefix) {
        List<String> wanted = segments(prefix);
        for (Key k : keys.values()) {
            List<String> have = segments(k.pattern());
            if (have.size() >= wanted.size() && matches(have.subList(0, wanted.size() - 1), wanted.subList(0, wanted.size() - 1))) {
                String last = have.get(wanted.size() - 1);
                String cut = wanted.get(wanted.size() - 1);
                if (last.equals("*") || last.startsWith(cut)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The key an environment variable sets, by SmallRye's rule (upper case, every character that
     * is not a letter or digit as {@code _}; a map key is any run of characters).
     */
    Optional<Key> environment(String variable) {
        for (Key k : keys.values()) {
            if (envPattern(k.pattern()).matcher(variable).matches()) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** The environment variable that sets {@code property} (no map keys). */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static Pattern envPattern(String pattern) {
        StringBuilder regex = new StringBuilder();
        List<String> segs = segments(pattern);
        for (int i = 0; i < segs.size(); i++) {
            String s = segs.get(i);
            if (i > 0) {
                regex.append('_');
            }
            if (s.equals("*")) {
                regex.append("_?[A-Z0-9_]+?_?");
            } else {
                regex.append(Pattern.quote(envName(s.replace("[*]", ""))));
                if (s.endsWith("[*]")) {
                    regex.append("(?:_[0-9]+_)?");
                }
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static boolean matches(List<String> pattern, List<String> name) {
        if (pattern.size() != name.size()) {
            return false;
        }
        for (int i = 0; i < pattern.size(); i++) {
            if (!pattern.get(i).equals("*") && !pattern.get(i).equals(name.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Dot-separated segments; a quoted segment ({@code "a.b"}) is one segment without its quotes. */
    static List<String> segments(String name) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : name.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
