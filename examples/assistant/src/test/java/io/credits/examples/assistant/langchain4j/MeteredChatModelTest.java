package io.credits.examples.assistant.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.credits.examples.assistant.Assistant;
import io.credits.examples.assistant.Generator;
import io.credits.examples.assistant.Meter;
import io.credits.sdk.CreditsClient;
import io.credits.sdk.CreditsClient.Spender;
import io.credits.sdk.CreditsException;
import io.credits.sdk.Models;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The LangChain4j adapter against a real Credits server, with in-process chat models: an answer is
 * charged once, a model that throws is released and charges nothing, and a refused hold never
 * reaches the model.
 */
class MeteredChatModelTest {
    static io.credits.examples.assistant.CreditsServer server;
    static CreditsClient credits;

    /** Answers every chat with the last user message, reversed; counts its calls. */
    static final class EchoModel implements ChatModel {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public ChatResponse doChat(ChatRequest request) {
            calls.incrementAndGet();
            ChatMessage last = request.messages().getLast();
            String text = last instanceof UserMessage u ? u.singleText() : "";
            return ChatResponse.builder().aiMessage(AiMessage.from(new StringBuilder(text).reverse().toString())).build();
        }
    }

    /** Fails every chat, as a model whose provider is down does. */
    static final class FailingModel implements ChatModel {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            throw new IllegalStateException("the model's provider is down");
        }
    }

    @BeforeAll
    static void start() {
        server = io.credits.examples.assistant.CreditsServer.start();
        credits = server.client();
        credits.setMainPlan("lc-owner", "ESSENTIAL", "monthly", null);
        credits.bookAiPlan("lc-owner", "T1000");
        credits.putProject("lc-site", "lc-owner");
        credits.putMember("lc-site", "lc-editor", "editor");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aChat_throughTheMeteredModel_isChargedOnce() {
        EchoModel echo = new EchoModel();
        ChatModel metered = new MeteredChatModel(echo, new Meter(credits), Spender.inProject("lc-site", "lc-editor"),
                "generate_section");
        long before = credits.balance("lc-owner").available();
        assertThat(metered.chat("olleh")).isEqualTo("hello");
        assertThat(echo.calls).hasValue(1);
        Models.Balance after = credits.balance("lc-owner");
        assertThat(after.available()).isEqualTo(before - 10);
        assertThat(after.held()).isZero();
        assertThat(credits.ledger("lc-owner", null, 1).path("data").get(0).path("type").asText()).isEqualTo("capture");
        assertThat(credits.ledger("lc-owner", null, 1).path("data").get(0).path("user").asText()).isEqualTo("lc-editor");
    }

    @Test
    void aFailingModel_isReleased_andNothingIsCharged() {
        ChatModel metered = new MeteredChatModel(new FailingModel(), new Meter(credits), Spender.account("lc-owner"),
                "generate_page");
        long before = credits.balance("lc-owner").available();
        assertThatThrownBy(() -> metered.chat("a page")).isInstanceOf(IllegalStateException.class)
                .hasMessage("the model's provider is down");
        Models.Balance after = credits.balance("lc-owner");
        assertThat(after.available()).isEqualTo(before);
        assertThat(after.held()).isZero();
        assertThat(credits.ledger("lc-owner", null, 1).path("data").get(0).path("type").asText()).isEqualTo("release");
    }

    @Test
    void aRefusedHold_neverReachesTheModel() {
        EchoModel echo = new EchoModel();
        ChatModel stranger = new MeteredChatModel(echo, new Meter(credits), Spender.inProject("lc-site", "lc-stranger"),
                "generate_page");
        assertThatThrownBy(() -> stranger.chat("a page")).isInstanceOf(CreditsException.Forbidden.class);
        assertThat(echo.calls).hasValue(0);
    }

    @Test
    void theAssistant_onAChatModelGenerator_meterTheSameWay() {
        var config = server.config("lc-owner", "lc-site", "lc-editor");
        Assistant ok = new Assistant(credits, new ChatModelGenerator(new EchoModel()), config, Clock.systemUTC());
        long before = credits.balance("lc-owner").available();
        Assistant.Outcome done = ok.generate(Assistant.Role.EDITOR, Generator.Kind.CODE, "edoc", false);
        assertThat(done).isInstanceOfSatisfying(Assistant.Outcome.Generated.class, g -> {
            assertThat(g.content()).isEqualTo("code");
            assertThat(g.credits()).isEqualTo(10);
            assertThat(g.notice()).contains("owner's credits");
        });
        Assistant failing = new Assistant(credits, new ChatModelGenerator(new FailingModel()), config, Clock.systemUTC());
        assertThat(failing.generate(Assistant.Role.OWNER, Generator.Kind.PAGE, "a page", false))
                .isInstanceOfSatisfying(Assistant.Outcome.Failed.class, f -> assertThat(f.reason()).contains("provider is down"));
        assertThat(credits.balance("lc-owner").available()).isEqualTo(before - 10);
    }
}
