package io.credits.examples.assistant;

import io.credits.examples.assistant.Generator.GenerationException;
import io.credits.examples.assistant.Generator.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The offline generator: the same prompt gives the same content, the prompt is escaped, an empty one fails. */
class TemplateGeneratorTest {
    final TemplateGenerator generator = new TemplateGenerator();

    @Test
    void samePrompt_sameContent_forEveryKind() throws Exception {
        for (Kind k : Kind.values()) {
            assertThat(generator.generate(k, "A bakery in Lyon")).isEqualTo(generator.generate(k, "A bakery in Lyon"));
        }
        assertThat(generator.generate(Kind.PAGE, "A bakery in Lyon")).startsWith("<!doctype html>")
                .contains("<h1>A Bakery In Lyon</h1>");
        assertThat(generator.generate(Kind.SECTION, "Opening hours")).startsWith("<section").contains("<h2>Opening Hours</h2>");
        assertThat(generator.generate(Kind.CODE, "hero banner")).contains("export function renderHeroBanner(root)");
        assertThat(generator.generate(Kind.WRITER, "our story")).startsWith("Our Story");
    }

    @Test
    void markupInThePrompt_isEscaped() throws Exception {
        assertThat(generator.generate(Kind.SECTION, "<script>alert(1)</script>")).doesNotContain("<script>")
                .contains("&lt;script&gt;");
    }

    @Test
    void anEmptyOrTooLongPrompt_failsTheGeneration() {
        assertThatThrownBy(() -> generator.generate(Kind.PAGE, "  ")).isInstanceOf(GenerationException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> generator.generate(Kind.PAGE, "x".repeat(TemplateGenerator.PROMPT_LENGTH_MAX + 1)))
                .isInstanceOf(GenerationException.class).hasMessageContaining("at most " + TemplateGenerator.PROMPT_LENGTH_MAX);
    }
}
