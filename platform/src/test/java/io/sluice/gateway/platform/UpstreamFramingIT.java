// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client reads when the upstream's answer needs more than relaying: an interim response where the final
 * one should be, a body of unknown length to a client that cannot read chunks. Raw bytes on both sides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamFramingIT {

  private RecordingBackend backend;
  private TestGateway gw;

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    backend = new RecordingBackend();
    gw = TestGateway.start(dir, backend.publicRoute());
  }

  @AfterAll
  void stop() throws Exception {
    gw.close();
    backend.close();
  }

  @BeforeEach
  void clear() {
    backend.clear();
  }

  /**
   * Vert.x's client takes a 102 for the final response and drops the 200 after it; relayed, the client would
   * read an interim response and wait for an answer that never comes.
   */
  @Test
  void anInterimResponseWhereTheAnswerShouldBeIsA502NeverRelayed() throws IOException {
    backend.answer("HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    String answer = readUntilClosedOrResponse("POST /public/dav HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 502 ");
    assertThat(answer).contains("\"key\":\"UPSTREAM_INVALID_RESPONSE\"");
    assertThat(backend.requests).hasSize(1);

    backend.clear();
    assertThat(readUntilClosedOrResponse("GET /public/next HTTP/1.1\r\nHost: a\r\n\r\n"))
        .as("the next request is served").startsWith("HTTP/1.1 200 ").endsWith("ok");
  }

  /** RFC 9112 §6.3: without chunks or a length, an HTTP/1.0 client reads the body until the connection closes. */
  @Test
  void aBodyOfUnknownLengthToAnHttp10KeepAliveClientEndsWithTheConnection() throws IOException {
    backend.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    try (Socket s = new Socket("127.0.0.1", gw.port())) {
      s.setSoTimeout(3000);
      s.getOutputStream().write(
          "GET /public/stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String answer = readToEnd(s.getInputStream());
      assertThat(answer).startsWith("HTTP/1.0 200 ");
      String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
      assertThat(head).contains("connection: close").doesNotContain("keep-alive").doesNotContain("transfer-encoding");
      assertThat(answer).endsWith("\r\n\r\nhello world");
    }
  }

  @Test
  void anHttp10KeepAliveClientKeepsItsConnectionWhenTheLengthIsKnown() throws IOException {
    try (Socket s = new Socket("127.0.0.1", gw.port())) {
      s.setSoTimeout(3000);
      for (int i = 0; i < 2; i++) {
        s.getOutputStream().write(
            "GET /public/known HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String answer = readResponse(s.getInputStream());
        assertThat(answer).as("answer %d on one connection", i + 1).startsWith("HTTP/1.0 200 ").endsWith("ok");
        assertThat(answer.toLowerCase(java.util.Locale.ROOT)).contains("connection: keep-alive");
      }
    }
  }

  /** RFC 9110 §10.1.1: an HTTP/1.0 client would take a 100 for its answer; it sends its body without one. */
  @Test
  void anHttp10ClientThatExpectsContinueIsNeverSentA100() throws IOException {
    String answer = readUntilClosedOrResponse(
        "POST /public/upload HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello");
    assertThat(answer).startsWith("HTTP/1.0 200 ").endsWith("ok");
    assertThat(backend.requests).singleElement().satisfies(r -> assertThat(r.body()).isEqualTo("hello"));
  }

  /** Sends {@code raw} on a new connection and reads one response (by its Content-Length) or until closed. */
  private String readUntilClosedOrResponse(String raw) throws IOException {
    try (Socket s = new Socket("127.0.0.1", gw.port())) {
      s.setSoTimeout(3000);
      s.getOutputStream().write(raw.getBytes(StandardCharsets.US_ASCII));
      return readResponse(s.getInputStream());
    }
  }

  /** One response with a Content-Length, or what arrives until the connection closes. */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      out.write(b);
      String text = out.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        int length = contentLength(text.substring(0, end));
        if (length >= 0) {
          byte[] body = in.readNBytes(length);
          return text + new String(body, StandardCharsets.ISO_8859_1);
        }
        return text + readToEnd(in);
      }
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return -1;
  }

  /** Everything until the peer closes; fails on a read timeout (the connection stayed open). */
  private static String readToEnd(InputStream in) throws IOException {
    try {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the connection was still open 3 s after the response began", e);
    }
  }
}
