package org.openess.gateway.config;

/** Constraint messages built from the refused value must not be read as message templates. */
final class Messages {
    private Messages() {
    }

    /** Escapes the characters Bean Validation interpolates ({@code {}}, {@code $} and {@code \}). */
    static String literal(String message) {
        return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
    }
}
