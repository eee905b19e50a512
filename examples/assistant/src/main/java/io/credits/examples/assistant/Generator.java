package io.credits.examples.assistant;

/**
 * What the assistant runs once credits are held: a page, a section, code or text from a prompt.
 * {@link TemplateGenerator} is offline and deterministic; {@code langchain4j.ChatModelGenerator}
 * asks any LangChain4j chat model. Either is metered the same way by {@link Meter}.
 */
public interface Generator {

    /** The assistant's buttons, each a feature of the Credits catalog. */
    enum Kind {
        PAGE("generate_page", "Generate page", "generate-page"),
        SECTION("generate_section", "Generate section", "generate-section"),
        CODE("generate_code", "Generate code", "generate-code"),
        WRITER("ai_writer", "AI Writer", "ai-writer");

        /** The feature charged in Credits. */
        public final String feature;
        public final String label;
        /** The button's element id on the page. */
        public final String elementId;

        Kind(String feature, String label, String elementId) {
            this.feature = feature;
            this.label = label;
            this.elementId = elementId;
        }

        public static java.util.Optional<Kind> ofFeature(String feature) {
            for (Kind k : values()) if (k.feature.equals(feature)) return java.util.Optional.of(k);
            return java.util.Optional.empty();
        }
    }

    /** A generation that did not work out: the credits held for it go back. */
    final class GenerationException extends Exception {
        public GenerationException(String message) {
            super(message);
        }

        public GenerationException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The content made for {@code prompt} (HTML for pages and sections, source for code, prose for the writer). */
    String generate(Kind kind, String prompt) throws GenerationException;
}
