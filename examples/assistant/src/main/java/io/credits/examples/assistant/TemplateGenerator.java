package io.credits.examples.assistant;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The offline generator: fills templates from the prompt. The same prompt gives the same content,
 * byte for byte, on every machine (the colours come from a hash of the prompt, not from chance),
 * so the demo and its tests need no network and no model.
 */
public final class TemplateGenerator implements Generator {
    /** The longest prompt taken; the page's form says so too. */
    public static final int PROMPT_LENGTH_MAX = 2_000;

    private static final List<String> PALETTE = List.of("#2f5bd3", "#0f766e", "#b45309", "#7c3aed", "#be123c", "#15803d");

    @Override
    public String generate(Kind kind, String prompt) throws GenerationException {
        String p = prompt == null ? "" : prompt.strip();
        if (p.isEmpty()) throw new GenerationException("the prompt is empty: say what to make");
        if (p.length() > PROMPT_LENGTH_MAX)
            throw new GenerationException("the prompt is " + p.length() + " characters; at most " + PROMPT_LENGTH_MAX);
        String title = title(p);
        String colour = PALETTE.get(Math.floorMod(Arrays.hashCode(p.getBytes(StandardCharsets.UTF_8)), PALETTE.size()));
        return switch (kind) {
            case PAGE -> """
                    <!doctype html>
                    <html lang="en">
                    <head><meta charset="utf-8"><title>%1$s</title>
                    <style>body{font-family:system-ui;margin:0}header{background:%2$s;color:#fff;padding:48px 24px}main{padding:24px}</style></head>
                    <body>
                    <header><h1>%1$s</h1><p>%3$s</p></header>
                    <main>
                    %4$s
                    </main>
                    <footer><p>© %1$s</p></footer>
                    </body>
                    </html>
                    """.formatted(esc(title), colour, esc(p), section(title, p, colour));
            case SECTION -> section(title, p, colour) + "\n";
            case CODE -> """
                    // %1$s
                    export function %2$s(root) {
                      const section = document.createElement("section");
                      section.style.borderTop = "4px solid %3$s";
                      section.innerHTML = "<h2>%4$s</h2>";
                      root.appendChild(section);
                      return section;
                    }
                    """.formatted(p.replace("\n", " "), identifier(title), colour, esc(title).replace("\"", "&quot;"));
            case WRITER -> """
                    %1$s

                    %2$s is what this page is about. In a few words: %3$s. Read on to see what it offers, \
                    who it is for, and how to get started today.
                    """.formatted(title, title, p);
        };
    }

    private static String section(String title, String prompt, String colour) {
        return """
                <section style="border-left:4px solid %s;padding:16px 24px">
                  <h2>%s</h2>
                  <p>%s</p>
                  <a href="#contact">Get in touch</a>
                </section>""".formatted(colour, esc(title), esc(prompt));
    }

    /** The first words of the prompt, capitalised: "a bakery in lyon" → "A Bakery In Lyon". */
    static String title(String prompt) {
        return Arrays.stream(prompt.split("\\s+")).limit(6)
                .map(w -> w.isEmpty() ? w : w.substring(0, 1).toUpperCase(Locale.ROOT) + w.substring(1))
                .collect(Collectors.joining(" "));
    }

    /** "A Bakery In Lyon" → "renderABakeryInLyon". */
    static String identifier(String title) {
        String letters = title.replaceAll("[^A-Za-z0-9]", "");
        return "render" + (letters.isEmpty() ? "Section" : letters);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
