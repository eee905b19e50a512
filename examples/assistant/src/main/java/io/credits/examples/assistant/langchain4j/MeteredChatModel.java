package io.credits.examples.assistant.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.credits.examples.assistant.Meter;
import io.credits.sdk.CreditsClient.Spender;

import java.util.Objects;
import java.util.Set;

/**
 * Any LangChain4j {@link ChatModel}, metered with Credits: each chat holds the feature's cost for
 * the spender, asks the wrapped model, and captures the hold when the model answers or releases it
 * when the model throws (the exception then reaches the caller as the model threw it). Use it
 * wherever a {@code ChatModel} goes, {@code AiServices} included:
 * <pre>{@code
 * ChatModel model = new MeteredChatModel(openAi, new Meter(credits), Spender.inProject("site", "bob"), "generate_section");
 * String html = model.chat("A pricing section for a bakery");   // 10 credits, or none if it failed
 * }</pre>
 * The wrapped model's listeners, default parameters, provider and capabilities are its own.
 */
public final class MeteredChatModel implements ChatModel {
    private final ChatModel delegate;
    private final Meter meter;
    private final Spender spender;
    private final String feature;

    public MeteredChatModel(ChatModel delegate, Meter meter, Spender spender, String feature) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.meter = Objects.requireNonNull(meter, "meter");
        this.spender = Objects.requireNonNull(spender, "spender");
        this.feature = Objects.requireNonNull(feature, "feature");
    }

    /** The same model metered for another user or feature (e.g. per request of a web app). */
    public MeteredChatModel forSpender(Spender otherSpender, String otherFeature) {
        return new MeteredChatModel(delegate, meter, otherSpender, otherFeature);
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        try {
            return meter.run(spender, feature, () -> delegate.chat(request)).value();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // delegate.chat throws no checked exception; the meter declares it
        }
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return delegate.defaultRequestParameters();
    }

    @Override
    public ModelProvider provider() {
        return delegate.provider();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return delegate.supportedCapabilities();
    }
}
