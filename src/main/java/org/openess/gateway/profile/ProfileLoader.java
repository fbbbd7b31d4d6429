package org.openess.gateway.profile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Entry point of the register-map stage: turns a profile reference ({@code operation1}, or a path
 * to a .yaml/.yml/.json file) into a validated {@link Profile}, or throws a {@link ProfileException}
 * that names the file and the entry at fault.
 */
public final class ProfileLoader {
    public static final List<String> BUILTIN = List.of("operation1");
    private static final String BUILTIN_DIR = "profiles/";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            // a key given twice is a mistake, not "the last one wins"
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // an address, count or bit of 10.5 is a mistake, not 10
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ProfileLoader() {
    }

    public static Profile load(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new ProfileException("profile reference is empty: name a built-in profile (" + String.join(", ", BUILTIN)
                    + ") or a file path");
        }
        if (BUILTIN.contains(reference)) {
            String resource = BUILTIN_DIR + reference + ".yaml";
            try (InputStream in = ProfileLoader.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ProfileException("built-in profile '" + reference + "' is missing from the build (" + resource + ")");
                }
                return parse("builtin:" + reference, in.readAllBytes());
            } catch (IOException e) {
                throw new ProfileException("cannot read built-in profile '" + reference + "': " + e.getMessage(), e);
            }
        }
        Path path = Path.of(reference);
        if (!reference.contains("/") && !reference.contains(".") && !Files.exists(path)) {
            throw new ProfileException("unknown profile '" + reference + "': not a built-in profile (" + String.join(", ", BUILTIN)
                    + ") and no such file");
        }
        try {
            return parse(path.toString(), Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            throw new ProfileException(reference + ": profile file not found");
        } catch (IOException e) {
            throw new ProfileException(reference + ": cannot read profile file: " + e.getMessage(), e);
        }
    }

    /** Parses and validates a profile document; {@code source} is used in error messages. */
    public static Profile parse(String source, byte[] document) {
        ProfileFile file;
        try (JsonParser parser = new NoOctal(YAML.createParser(document))) {
            // readValue() reports an empty document as a mapping error; say what it is instead
            if (parser.nextToken() == null) {
                throw new ProfileException(source + ": the document is empty");
            }
            file = YAML.readValue(parser, ProfileFile.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? ""
                    : " (allowed: " + e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                            .collect(Collectors.joining(", ")) + ")";
            throw new ProfileException(source + where(e.getLocation()) + ": unknown key '" + e.getPropertyName() + "' at "
                    + path(e, 1) + known, e);
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof StreamReadException syntax) {
                // a syntax error inside a nested entry arrives wrapped as a mapping error
                throw new ProfileException(source + where(syntax.getLocation()) + ": not valid YAML/JSON: "
                        + syntax.getOriginalMessage(), e);
            }
            throw new ProfileException(source + where(e.getLocation()) + ": invalid value at " + path(e, 0) + ": "
                    + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ProfileException(source + where(e.getLocation()) + ": not valid YAML/JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ProfileException(source + ": cannot read: " + e.getMessage(), e);
        }
        if (file == null) {
            throw new ProfileException(source + ": the document is empty");
        }
        return new ProfileValidator(source).validate(file);
    }

    /**
     * Refuses integers written with a leading 0 ({@code address: 0200}): YAML 1.1 reads them as
     * octal (128), so a zero-padded address copied from a device manual would name another register.
     */
    private static final class NoOctal extends JsonParserDelegate {
        private static final Pattern LEADING_ZERO = Pattern.compile("[-+]?0[0-9_]+");

        NoOctal(JsonParser parser) {
            super(parser);
        }

        @Override
        public JsonToken nextToken() throws IOException {
            return check(super.nextToken());
        }

        @Override
        public JsonToken nextValue() throws IOException {
            return check(super.nextValue());
        }

        private JsonToken check(JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NUMBER_INT && LEADING_ZERO.matcher(getText()).matches()) {
                throw new JsonParseException(this, "number " + getText() + " has a leading 0, which YAML reads as octal ("
                        + getLongValue() + "); write it without the leading 0");
            }
            return token;
        }
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? "" : ":" + location.getLineNr();
    }

    /** The path of the entry at fault, without its last {@code drop} references (the unknown key itself). */
    private static String path(JsonMappingException e, int drop) {
        StringBuilder sb = new StringBuilder();
        List<JsonMappingException.Reference> refs = e.getPath();
        for (JsonMappingException.Reference ref : refs.subList(0, Math.max(0, refs.size() - drop))) {
            if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            }
        }
        return sb.isEmpty() ? "the top level" : sb.toString();
    }
}
