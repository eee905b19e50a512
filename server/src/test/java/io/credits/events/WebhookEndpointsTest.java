package io.credits.events;

import io.credits.testing.MutableClock;
import io.credits.store.Database;
import io.credits.store.EmbeddedServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.credits.events.EventLogTest.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Endpoints are registered with a one-time secret, checked field by field, listed, disabled and deleted. */
class WebhookEndpointsTest {
    Database db;
    WebhookEndpoints endpoints;

    @BeforeEach
    void open() {
        db = EmbeddedServer.shared().freshDatabase();
        endpoints = new WebhookEndpoints(db.dataSource(), new MutableClock(Events.NOW));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void create_returnsAWhsecSecretOnce_andListsShowTheEndpointWithoutIt() {
        WebhookEndpoints.Created created = endpoints.create(
                new WebhookEndpoints.Registration("https://host.example/hooks?source=credits", List.of("credits.low", "plan.booked")));

        assertThat(created.id()).startsWith(WebhookEndpoints.ID_PREFIX);
        assertThat(created.url()).isEqualTo("https://host.example/hooks?source=credits");
        assertThat(created.events()).containsExactly("credits.low", "plan.booked");
        assertThat(created.secret()).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(created.secret().substring("whsec_".length()))).hasSize(32);

        WebhookEndpoints.Endpoint listed = endpoints.get(created.id()).orElseThrow();
        assertThat(listed.url()).isEqualTo(created.url());
        assertThat(listed.events()).isEqualTo(created.events());
        assertThat(listed.createdAt()).isEqualTo(Events.NOW);
        assertThat(listed.enabled()).isTrue();
        assertThat(listed.toString()).doesNotContain(created.secret());
        assertThat(endpoints.list()).extracting(WebhookEndpoints.Endpoint::id).containsExactly(created.id());

        WebhookEndpoints.Created other = endpoints.create(new WebhookEndpoints.Registration("http://localhost:9/x", List.of("*")));
        assertThat(other.secret()).isNotEqualTo(created.secret());
        assertThat(other.id()).isNotEqualTo(created.id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "ftp://host.example/x", "/relative/path", "host.example/x", "http://",
            "https://user:secret@host.example/x", "http://host .example/", "mailto:ops@host.example"})
    void aBadUrl_isRefused_namingUrl(String url) {
        assertThatThrownBy(() -> endpoints.create(new WebhookEndpoints.Registration(url, List.of("*"))))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(fields(e)).containsExactly("url"));
        assertThat(endpoints.list()).isEmpty();
    }

    @Test
    void aUrlOverTheLimit_isRefused_withTheLimitInTheMessage() {
        String url = "https://host.example/" + "a".repeat(WebhookEndpoints.URL_LENGTH_MAX);
        assertThatThrownBy(() -> endpoints.create(new WebhookEndpoints.Registration(url, List.of("*"))))
                .isInstanceOf(FieldErrors.class).hasMessageContaining("url").hasMessageContaining("2048");
        assertThatThrownBy(() -> endpoints.create(new WebhookEndpoints.Registration(null, List.of("*"))))
                .isInstanceOf(FieldErrors.class).hasMessageStartingWith("url: is required");
    }

    @Test
    void badEventTypes_areRefused_namingEachBadEntry() {
        assertThatThrownBy(() -> create(List.of("credits.low", "credits.gone", "credits.low", "*")))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(fields(e))
                        .containsExactly("events[1]", "events[2]", "events[3]"))
                .hasMessageContaining("unknown event type 'credits.gone'")
                .hasMessageContaining("listed twice")
                .hasMessageContaining("list it alone");
        assertThatThrownBy(() -> create(List.of())).isInstanceOfSatisfying(FieldErrors.class,
                e -> assertThat(fields(e)).containsExactly("events")).hasMessageContaining("plan.booked");
        assertThatThrownBy(() -> create(null)).isInstanceOf(FieldErrors.class);
        assertThatThrownBy(() -> create(Arrays.asList("credits.low", null))).isInstanceOfSatisfying(FieldErrors.class,
                e -> assertThat(fields(e)).containsExactly("events[1]"));
        assertThatThrownBy(() -> create(Collections.nCopies(WebhookEndpoints.EVENTS_MAX + 1, "credits.low")))
                .isInstanceOf(FieldErrors.class).hasMessageContaining("at most 20");
    }

    @Test
    void aBadUrlAndBadEvents_areReportedTogether() {
        assertThatThrownBy(() -> endpoints.create(new WebhookEndpoints.Registration("ftp://x", List.of("nope"))))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(fields(e)).containsExactly("url", "events[0]"));
    }

    @Test
    void disable_keepsTheEndpointListed_delete_removesIt_andUnknownIdsAnswerFalse() {
        String id = create(List.of("*")).id();
        assertThat(endpoints.disable(id)).isTrue();
        assertThat(endpoints.disable(id)).isTrue();
        assertThat(endpoints.get(id).orElseThrow().enabled()).isFalse();
        assertThat(endpoints.get(id).orElseThrow().disabledAt()).isEqualTo(Events.NOW);
        assertThat(endpoints.delete(id)).isTrue();
        assertThat(endpoints.get(id)).isEmpty();
        assertThat(endpoints.delete(id)).isFalse();
        assertThat(endpoints.disable("we_nope")).isFalse();
    }

    @Test
    void theHundredAndFirstEndpoint_isRefused() {
        for (int i = 0; i < WebhookEndpoints.ENDPOINTS_MAX; i++) create(List.of("*"));
        assertThatThrownBy(() -> create(List.of("*"))).isInstanceOf(WebhookEndpoints.TooManyEndpoints.class)
                .hasMessageContaining("100");
        assertThat(endpoints.list()).hasSize(WebhookEndpoints.ENDPOINTS_MAX);
    }

    @Test
    void theKnownEventTypes_areExactlyTheTypesTheAccountEmits() throws IOException {
        String source = Files.readString(Path.of("src/main/java/io/credits/account/Account.java"));
        Matcher m = Pattern.compile("event\\(\"([a-z_.]+)\"").matcher(source);
        List<String> emitted = new ArrayList<>();
        while (m.find()) emitted.add(m.group(1));
        assertThat(new TreeSet<>(EventTypes.KNOWN)).isEqualTo(new TreeSet<>(emitted));
    }

    private WebhookEndpoints.Created create(List<String> events) {
        return endpoints.create(new WebhookEndpoints.Registration("https://host.example/hook", events));
    }
}
