package io.credits.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RespTest {
    static Object read(String wire) throws Exception {
        return Resp.read(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void encode_writesAnArrayOfBulkStrings() {
        assertThat(new String(Resp.encode("EVALSHA", "ab", "1", "balance:é"), StandardCharsets.UTF_8))
                .isEqualTo("*4\r\n$7\r\nEVALSHA\r\n$2\r\nab\r\n$1\r\n1\r\n$10\r\nbalance:é\r\n");
    }

    @Test
    void read_understandsEachReplyType() throws Exception {
        assertThat(read("+PONG\r\n")).isEqualTo("PONG");
        assertThat(read(":-1\r\n")).isEqualTo(-1L);
        assertThat(read("$5\r\nhello\r\n")).isEqualTo("hello");
        assertThat(read("$-1\r\n")).isNull();
        assertThat(read("*2\r\n:1\r\n$1\r\nx\r\n")).isEqualTo(List.of(1L, "x"));
        assertThatThrownBy(() -> read("-NOSCRIPT No matching script\r\n")).isInstanceOf(Resp.ErrorReply.class)
                .hasMessage("NOSCRIPT No matching script");
        assertThatThrownBy(() -> read("$5\r\nhel")).isInstanceOf(EOFException.class);
    }
}
