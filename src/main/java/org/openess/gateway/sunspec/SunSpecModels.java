package org.openess.gateway.sunspec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The SunSpec model definitions the gateway knows: built-in copies of the models a storage site
 * commonly exposes (1, 103, 124, 701, 713, 802-805; {@code src/main/resources/sunspec/models/})
 * plus every {@code model_<id>.json} in {@code ess.sunspec.models-dir} (the upstream SunSpec
 * {@code json/} folder works as is; a file there replaces the built-in model of the same id).
 * Each file is validated when loaded. A file of the folder that cannot be used is
 * {@linkplain #rejected() rejected} (file, point, reason; logged once): its model id is then
 * unknown, so devices skip that model and poll the others. A broken built-in model is a build
 * mistake and throws.
 */
public final class SunSpecModels {
    public static final List<Integer> BUILTIN = List.of(1, 103, 124, 701, 713, 802, 803, 804, 805);
    private static final String BUILTIN_DIR = "sunspec/models/";
    private static final Pattern FILE_NAME = Pattern.compile("model_\\d+\\.json");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** A model's length L is one register, so no point of a model is longer. */
    private static final int MAX_STRING = 0xFFFF;
    private static final Logger LOG = Logger.getLogger(SunSpecModels.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Map<Integer, SunSpecModel> models;
    private final List<RejectedModel> rejected;

    private SunSpecModels(Map<Integer, SunSpecModel> models, List<RejectedModel> rejected) {
        this.models = Collections.unmodifiableMap(models);
        this.rejected = List.copyOf(rejected);
    }

    public static SunSpecModels builtin() {
        return load(null);
    }

    /** The built-in models, then those of {@code dir} (null: none). */
    public static SunSpecModels load(Path dir) {
        Map<Integer, SunSpecModel> models = new TreeMap<>();
        for (int id : BUILTIN) {
            String resource = BUILTIN_DIR + "model_" + id + ".json";
            try (InputStream in = SunSpecModels.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new SunSpecException("built-in SunSpec model " + id + " is missing from the build (" + resource + ")");
                }
                SunSpecModel m = parse("builtin:" + resource, in.readAllBytes());
                models.put(m.id(), m);
            } catch (IOException e) {
                throw new SunSpecException("cannot read built-in SunSpec model " + id + ": " + e.getMessage(), e);
            }
        }
        List<RejectedModel> rejected = new ArrayList<>();
        if (dir != null) {
            if (!Files.isDirectory(dir)) {
                throw new SunSpecException("ess.sunspec.models-dir: " + dir + " is not a directory");
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> FILE_NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
            } catch (IOException e) {
                throw new SunSpecException("ess.sunspec.models-dir: cannot list " + dir + ": " + e.getMessage(), e);
            }
            Map<Integer, Path> seen = new TreeMap<>();
            for (Path f : files) {
                try {
                    SunSpecModel m = parse(f.toString(), Files.readAllBytes(f));
                    Path other = seen.put(m.id(), f);
                    if (other != null) {
                        reject(f, "model " + m.id(), "model " + m.id() + " is also defined in " + other + "; neither file is used", m.id(),
                                models, rejected);
                        continue;
                    }
                    models.put(m.id(), m);
                } catch (ModelFileException e) {
                    reject(f, e.where(), e.reason(), fileId(f), models, rejected);
                } catch (IOException e) {
                    reject(f, "file", "cannot read: " + e.getMessage(), fileId(f), models, rejected);
                }
            }
        }
        return new SunSpecModels(models, rejected);
    }

    /** The model id a file name promises ({@code model_704.json}: 704); null when it is not a number. */
    private static Integer fileId(Path f) {
        String name = f.getFileName().toString();
        try {
            return Integer.valueOf(name.substring("model_".length(), name.length() - ".json".length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Drops the model a file meant to define: devices skip it like an unknown model (a built-in
     * model of that id is not used either: the file was meant to replace it).
     */
    private static void reject(Path file, String where, String reason, Integer id, Map<Integer, SunSpecModel> models,
            List<RejectedModel> rejected) {
        if (id != null) {
            models.remove(id);
        }
        RejectedModel r = new RejectedModel(file.toString(), id, where, reason);
        rejected.add(r);
        LOG.warnf("SunSpec model file rejected, devices skip model %s: %s", id == null ? "?" : id, r.describe());
    }

    public SunSpecModel get(int id) {
        return models.get(id);
    }

    public Map<Integer, SunSpecModel> all() {
        return models;
    }

    /** The files of {@code ess.sunspec.models-dir} that could not be used, in file-name order. */
    public List<RejectedModel> rejected() {
        return rejected;
    }

    /** The rejection of {@code id}'s file, or null. */
    public RejectedModel rejection(int id) {
        return rejected.stream().filter(r -> r.id() != null && r.id() == id).findFirst().orElse(null);
    }

    /** Parses and validates one model file; {@code source} names it in every error. */
    public static SunSpecModel parse(String source, byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "file" : "line " + e.getLocation().getLineNr();
            throw new ModelFileException(source, where, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelFileException(source, "file", e.getMessage(), e);
        }
        return new Parser(source).model(root);
    }

    /** Walks one file's JSON tree; keys the gateway does not use (labels, descriptions) are ignored. */
    private static final class Parser {
        private final String source;

        Parser(String source) {
            this.source = source;
        }

        SunSpecModel model(JsonNode root) {
            if (root == null || !root.isObject()) {
                throw fail("top level", "expected a JSON object with \"id\" and \"group\"");
            }
            JsonNode idNode = root.get("id");
            if (idNode == null || !idNode.isIntegralNumber() || idNode.asInt() < 1 || idNode.asInt() > 0xFFFE) {
                throw fail("top level", "\"id\" must be a model number 1..65534, got " + idNode);
            }
            int id = idNode.asInt();
            JsonNode g = root.get("group");
            if (g == null || !g.isObject()) {
                throw fail("model " + id, "\"group\" (the model's top-level group) is missing");
            }
            String where = "model " + id;
            SunSpecModel.Group top = group(g, where, List.of(), true);
            List<SunSpecModel.Point> points = top.points();
            if (points.size() < 2 || !points.get(0).name().equals("ID") || !points.get(1).name().equals("L")) {
                throw fail(where + " group '" + top.name() + "'", "the first two points must be ID and L (the model header)");
            }
            Integer value = points.get(0).value();
            if (value != null && value != id) {
                throw fail(where + " group '" + top.name() + "' point 'ID'", "value " + value + " differs from the model id " + id);
            }
            return new SunSpecModel(id, source, top);
        }

        private SunSpecModel.Group group(JsonNode g, String parentWhere, List<SunSpecModel.Group> enclosing, boolean top) {
            String name = text(g, "name");
            if (name == null || name.isBlank()) {
                throw fail(parentWhere + " group", "\"name\" is missing");
            }
            String where = parentWhere + " group '" + name + "'";
            String countPoint = null;
            Integer countConstant = null;
            JsonNode count = g.get("count");
            if (top) {
                if (count != null && !(count.isIntegralNumber() && count.asInt() == 1)) {
                    throw fail(where, "the top-level group cannot repeat (count " + count + ")");
                }
            } else if (count == null) {
                countConstant = 1; // the upstream schema's default
            } else if (count.isIntegralNumber()) {
                countConstant = count.asInt();
                if (countConstant < 0) {
                    throw fail(where, "count must be 0 or more, got " + countConstant);
                }
            } else if (count.isTextual()) {
                countPoint = count.asText();
                SunSpecModel.Point p = find(enclosing, countPoint);
                if (p == null) {
                    throw fail(where, "count '" + countPoint + "' names no point of an enclosing group");
                }
                if (p.type().registers() != 1 || p.type() == SunSpecType.PAD || p.type() == SunSpecType.SUNSSF
                        || p.type() == SunSpecType.INT16) {
                    throw fail(where, "count '" + countPoint + "' is a " + p.type().jsonName() + " point; a count must be uint16 or count");
                }
            } else {
                throw fail(where, "count must be a point name or a number, got " + count);
            }
            List<SunSpecModel.Point> points = new ArrayList<>();
            JsonNode pts = g.get("points");
            if (pts != null && !pts.isArray()) {
                throw fail(where, "\"points\" must be a list");
            }
            Set<String> names = new HashSet<>();
            if (pts != null) {
                for (JsonNode p : pts) {
                    SunSpecModel.Point point = point(p, where);
                    if (!names.add(point.name())) {
                        throw fail(where + " point '" + point.name() + "'", "point name given twice");
                    }
                    points.add(point);
                }
            }
            SunSpecModel.Group self = new SunSpecModel.Group(name, countPoint, countConstant, points, List.of());
            List<SunSpecModel.Group> scope = new ArrayList<>(enclosing);
            scope.add(self);
            // scale factors may live in this group or any enclosing one
            for (SunSpecModel.Point p : points) {
                if (p.sf() != null) {
                    SunSpecModel.Point sf = find(scope, p.sf());
                    if (sf == null || sf.type() != SunSpecType.SUNSSF) {
                        throw fail(where + " point '" + p.name() + "'", "sf '" + p.sf() + "' names no sunssf point of this group or an "
                                + "enclosing one");
                    }
                }
            }
            List<SunSpecModel.Group> groups = new ArrayList<>();
            JsonNode gs = g.get("groups");
            if (gs != null) {
                if (!gs.isArray()) {
                    throw fail(where, "\"groups\" must be a list");
                }
                for (JsonNode sub : gs) {
                    groups.add(group(sub, where, scope, false));
                }
            }
            if (points.isEmpty() && groups.isEmpty()) {
                throw fail(where, "a group needs points or groups");
            }
            for (SunSpecModel.Group sub : groups) {
                if (sub.fillsModel() && (groups.indexOf(sub) != groups.size() - 1 || !top)) {
                    throw fail(where + " group '" + sub.name() + "'", "count 0 (fill the model) is allowed only for the last group of "
                            + "the model");
                }
            }
            return new SunSpecModel.Group(name, countPoint, countConstant, List.copyOf(points), List.copyOf(groups));
        }

        private SunSpecModel.Point point(JsonNode p, String groupWhere) {
            if (!p.isObject()) {
                throw fail(groupWhere, "a point must be an object, got " + p);
            }
            String name = text(p, "name");
            if (name == null || !NAME.matcher(name).matches()) {
                throw fail(groupWhere + " point", "\"name\" must be an identifier, got " + p.get("name"));
            }
            String where = groupWhere + " point '" + name + "'";
            String typeName = text(p, "type");
            SunSpecType type = typeName == null ? null : SunSpecType.parse(typeName);
            if (type == null) {
                throw fail(where, "unknown type " + (typeName == null ? "(missing)" : "'" + typeName + "'") + " (expected one of "
                        + SunSpecType.names() + ")");
            }
            JsonNode sizeNode = p.get("size");
            int size;
            if (sizeNode == null) {
                if (type == SunSpecType.STRING) {
                    throw fail(where, "a string needs \"size\" (registers)");
                }
                size = type.registers();
            } else if (!sizeNode.isIntegralNumber()) {
                throw fail(where, "\"size\" must be a whole number, got " + sizeNode);
            } else {
                size = sizeNode.asInt();
                if (type == SunSpecType.STRING ? size < 1 || size > MAX_STRING : size != type.registers()) {
                    throw fail(where, type == SunSpecType.STRING ? "a string's size must be 1.." + MAX_STRING + " registers, got " + size
                            : "size " + size + " does not match type " + type.jsonName() + " (" + type.registers() + " register(s))");
                }
            }
            String sf = null;
            Integer sfConstant = null;
            JsonNode sfNode = p.get("sf");
            if (sfNode != null && !sfNode.isNull()) {
                if (!type.isScalable()) {
                    throw fail(where, "a " + type.jsonName() + " point cannot have a scale factor");
                }
                if (sfNode.isIntegralNumber()) {
                    sfConstant = sfNode.asInt();
                    if (sfConstant < -10 || sfConstant > 10) {
                        throw fail(where, "constant sf must be -10..10, got " + sfConstant);
                    }
                } else if (sfNode.isTextual()) {
                    sf = sfNode.asText();
                } else {
                    throw fail(where, "sf must be a point name or a whole number, got " + sfNode);
                }
            }
            JsonNode v = p.get("value");
            Integer value = v != null && v.isIntegralNumber() ? v.asInt() : null;
            return new SunSpecModel.Point(name, type, size, sf, sfConstant, value, bits(p, type, where));
        }

        /** A bitfield's symbols (bit number → name); the alarm rules of the battery model come from them. */
        private Map<Integer, String> bits(JsonNode p, SunSpecType type, String where) {
            JsonNode symbols = p.get("symbols");
            if ((type != SunSpecType.BITFIELD16 && type != SunSpecType.BITFIELD32) || symbols == null || !symbols.isArray()) {
                return Map.of();
            }
            int width = type == SunSpecType.BITFIELD16 ? 16 : 32;
            Map<Integer, String> bits = new TreeMap<>();
            for (JsonNode sym : symbols) {
                String name = text(sym, "name");
                JsonNode v = sym.get("value");
                if (name == null || name.isBlank()) {
                    throw fail(where + " symbol", "\"name\" must be a non-empty string, got " + sym.get("name"));
                }
                if (v == null || !v.isIntegralNumber() || v.asInt() < 0 || v.asInt() >= width) {
                    throw fail(where + " symbol '" + name + "'", "a " + type.jsonName() + " symbol's value must be a bit number 0.."
                            + (width - 1) + ", got " + v);
                }
                if (bits.put(v.asInt(), name) != null) {
                    throw fail(where + " symbol '" + name + "'", "bit " + v.asInt() + " named twice");
                }
            }
            return bits;
        }

        private static SunSpecModel.Point find(List<SunSpecModel.Group> scope, String name) {
            for (int i = scope.size() - 1; i >= 0; i--) {
                SunSpecModel.Point p = scope.get(i).point(name);
                if (p != null) {
                    return p;
                }
            }
            return null;
        }

        private static String text(JsonNode n, String key) {
            JsonNode v = n.get(key);
            return v != null && v.isTextual() ? v.asText() : null;
        }

        private ModelFileException fail(String where, String message) {
            return new ModelFileException(source, where, message);
        }
    }

}
