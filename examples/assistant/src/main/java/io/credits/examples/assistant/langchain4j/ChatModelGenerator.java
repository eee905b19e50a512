package io.credits.examples.assistant.langchain4j;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.credits.examples.assistant.Generator;

import java.util.Objects;

/**
 * The assistant's generator on any LangChain4j {@link ChatModel}: one chat per generation, with an
 * instruction for the kind of content. The assistant meters it like any {@link Generator} (hold,
 * chat, capture or release); a model that throws or answers nothing is a failed generation.
 */
public final class ChatModelGenerator implements Generator {
    private final ChatModel model;

    public ChatModelGenerator(ChatModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    @Override
    public String generate(Kind kind, String prompt) throws GenerationException {
        String instruction = switch (kind) {
            case PAGE -> "You build websites. Answer with one complete HTML page, and nothing else.";
            case SECTION -> "You build websites. Answer with one HTML <section> element, and nothing else.";
            case CODE -> "You build websites. Answer with JavaScript code only.";
            case WRITER -> "You write website copy. Answer with the text only, in short paragraphs.";
        };
        ChatResponse response;
        try {
            response = model.chat(SystemMessage.from(instruction), UserMessage.from(prompt));
        } catch (RuntimeException e) {
            throw new GenerationException("the chat model failed: " + e.getMessage(), e);
        }
        String text = response.aiMessage() == null ? null : response.aiMessage().text();
        if (text == null || text.isBlank()) throw new GenerationException("the chat model answered nothing");
        return text;
    }
}
