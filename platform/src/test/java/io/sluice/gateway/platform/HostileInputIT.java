// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input suite: raw bytes on raw sockets against a running gateway in front of a recording backend
 * (nginx's and Envoy's edge behaviour as the bar). Only {@code /public/**} is routed; the backend must never
 * see any other path, nor a request the gateway did not mean to send. Each case asserts what the client got,
 * what the backend received, and that a fresh connection is then served normally.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {

  private static final String GET_OK = "GET /public/ok HTTP/1.1\r\nHost: a\r\n\r\n";
  private static final String SMUGGLED = "GET /admin/pwned HTTP/1.1\r\nHost: a\r\n\r\n";

  private RecordingBackend backend;
  private TestGateway gw;

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    backend = new RecordingBackend();
    gw = TestGateway.start(dir, """
          headersTimeout: 1s
          idleTimeout: 5s
        """, backend.publicRoute());
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

  static Stream<Arguments> refused() {
    return Stream.of(
        // request smuggling: framing the gateway cannot compute unambiguously
        refused("TE and CL on HTTP/1.0 (the reported bypass)", 400, "TRANSFER_ENCODING_INVALID",
            "POST /public/x HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
                + hex(5 + SMUGGLED.length()) + "\r\nhello" + SMUGGLED + "\r\n0\r\n\r\n"),
        refused("TE and CL on HTTP/1.1 (CL.TE)", 400, "TRANSFER_ENCODING_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED),
        refused("CL and TE on HTTP/1.1 (TE.CL)", 400, "TRANSFER_ENCODING_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n" + SMUGGLED),
        refused("TE on HTTP/1.0 without CL", 400, "TRANSFER_ENCODING_INVALID",
            "POST /public/x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        refused("TE.TE: xchunked", 501, "TRANSFER_CODING_UNSUPPORTED",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\nhello"),
        refused("TE.TE: quoted chunked", 501, "TRANSFER_CODING_UNSUPPORTED",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \"chunked\"\r\n\r\n0\r\n\r\n"),
        refused("TE.TE: chunked, identity", 501, "TRANSFER_CODING_UNSUPPORTED",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"),
        refused("TE.TE: two TE fields", 400, "TRANSFER_ENCODING_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n"),
        refused("TE.TE: space before the colon", 400, "HEADER_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n"),
        refused("TE.TE: obs-fold", 400, "HEADER_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n"),
        refused("obs-fold hiding a TE (X-Pad: 1 Transfer-Encoding: chunked)", 400, "HEADER_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nX-Pad: 1\r\n Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n"),
        refused("duplicate CL, same value", 400, "CONTENT_LENGTH_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"),
        refused("duplicate CL, different values", 400, "CONTENT_LENGTH_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 40\r\n\r\nhello" + SMUGGLED),
        refused("CL as a list", 400, "CONTENT_LENGTH_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello"),
        refused("negative CL", 400, "CONTENT_LENGTH_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n"),
        refused("signed CL", 400, "CONTENT_LENGTH_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello"),
        refused("hexadecimal CL", 400, "CONTENT_LENGTH_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\nhello"),
        refused("huge CL", 400, "CONTENT_LENGTH_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\nhello"),
        // header injection
        refused("bare LF line endings (Netty 4.2 refuses them too)", 400, "REQUEST_LINE_INVALID",
            "GET /public/x HTTP/1.1\nHost: a\n\n"),
        refused("bare LF after a chunk size", 400, "CHUNK_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n"),
        refused("NUL in a value", 400, "HEADER_INVALID", "GET /public/x HTTP/1.1\r\nHost: a\r\nX-A: a\0b\r\n\r\n"),
        refused("bare CR in a value", 400, "HEADER_INVALID", "GET /public/x HTTP/1.1\r\nHost: a\r\nX-A: a\rX-B: b\r\n\r\n"),
        refused("bare CR ending the request line", 400, "REQUEST_LINE_INVALID", "GET /public/x HTTP/1.1\rHost: a\r\n\r\n"),
        refused("space inside a header name", 400, "HEADER_INVALID", "GET /public/x HTTP/1.1\r\nHost: a\r\nX A: 1\r\n\r\n"),
        refused("empty header name", 400, "HEADER_INVALID", "GET /public/x HTTP/1.1\r\nHost: a\r\n: 1\r\n\r\n"),
        refused("whitespace before the first header", 400, "HEADER_INVALID", "GET /public/x HTTP/1.1\r\n Host: a\r\n\r\n"),
        answered("underscore in a header name", 400, "HEADER_NAME_INVALID",
            "GET /public/x HTTP/1.1\r\nHost: a\r\nX_User: admin\r\n\r\n"),
        // sizes
        refused("request line too long", 414, "URI_TOO_LONG", "GET /public/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n\r\n"),
        refused("headers too large", 431, "HEADERS_TOO_LARGE",
            "GET /public/x HTTP/1.1\r\nHost: a\r\nX-A: " + "a".repeat(20_000) + "\r\n\r\n"),
        refused("101 headers", 431, "TOO_MANY_HEADERS", "GET /public/x HTTP/1.1\r\nHost: a\r\n" + "X-A: 1\r\n".repeat(100) + "\r\n"),
        refused("1000 headers", 431, "TOO_MANY_HEADERS", "GET /public/x HTTP/1.1\r\nHost: a\r\n" + "X-A: 1\r\n".repeat(999) + "\r\n"),
        // methods
        answered("TRACE", 501, "METHOD_NOT_IMPLEMENTED", "TRACE /public/x HTTP/1.1\r\nHost: a\r\n\r\n"),
        answered("lower-case get", 501, "METHOD_NOT_IMPLEMENTED", "get /public/x HTTP/1.1\r\nHost: a\r\n\r\n"),
        answered("unknown method", 501, "METHOD_NOT_IMPLEMENTED", "PROPFIND /public/x HTTP/1.1\r\nHost: a\r\n\r\n"),
        refused("CONNECT (authority form)", 400, "REQUEST_TARGET_INVALID", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n"),
        // target forms and versions
        refused("absolute form", 400, "REQUEST_TARGET_INVALID", "GET http://evil/public/x HTTP/1.1\r\nHost: a\r\n\r\n"),
        refused("asterisk form", 400, "REQUEST_TARGET_INVALID", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"),
        refused("double space", 400, "REQUEST_LINE_INVALID", "GET  /public/x HTTP/1.1\r\nHost: a\r\n\r\n"),
        refused("no version", 400, "REQUEST_LINE_INVALID", "GET /public/x\r\nHost: a\r\n\r\n"),
        refused("lower-case version", 400, "REQUEST_LINE_INVALID", "GET /public/x http/1.1\r\nHost: a\r\n\r\n"),
        refused("HTTP/1.2", 505, "HTTP_VERSION_NOT_SUPPORTED", "GET /public/x HTTP/1.2\r\nHost: a\r\n\r\n"),
        refused("HTTP/2.0 on an HTTP/1 connection", 505, "HTTP_VERSION_NOT_SUPPORTED", "GET /public/x HTTP/2.0\r\nHost: a\r\n\r\n"),
        refused("HTTP/0.9", 505, "HTTP_VERSION_NOT_SUPPORTED", "GET /public/x HTTP/0.9\r\nHost: a\r\n\r\n"),
        refused("raw non-ASCII in the target", 400, "REQUEST_LINE_INVALID", "GET /public/\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n"),
        // Host
        refused("HTTP/1.1 without Host", 400, "HOST_INVALID", "GET /public/x HTTP/1.1\r\n\r\n"),
        refused("two Hosts", 400, "HOST_INVALID", "GET /public/x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        refused("Host with a path", 400, "HOST_INVALID", "GET /public/x HTTP/1.1\r\nHost: a/admin\r\n\r\n"),
        refused("Host with a space", 400, "HOST_INVALID", "GET /public/x HTTP/1.1\r\nHost: a b\r\n\r\n"),
        refused("Host with a bad port", 400, "HOST_INVALID", "GET /public/x HTTP/1.1\r\nHost: a:99999\r\n\r\n"),
        // path confusion for backends that normalise further
        answered("..; (Tomcat, Spring)", 400, "PATH_PARAMETERS", "GET /public/..;/admin HTTP/1.1\r\nHost: a\r\n\r\n"),
        answered("encoded ..;", 400, "PATH_PARAMETERS", "GET /public/%2e%2e;x/admin HTTP/1.1\r\nHost: a\r\n\r\n"),
        answered("double-encoded dots", 400, "PATH_DOUBLE_ENCODED", "GET /public/%252e%252e/admin HTTP/1.1\r\nHost: a\r\n\r\n"),
        answered("double-encoded slash", 400, "PATH_DOUBLE_ENCODED", "GET /public/..%252fadmin HTTP/1.1\r\nHost: a\r\n\r\n"),
        answered("overlong UTF-8 dots", 400, "PATH_INVALID_UTF8", "GET /public/%c0%ae%c0%ae/admin HTTP/1.1\r\nHost: a\r\n\r\n"),
        answered("truncated UTF-8", 400, "PATH_INVALID_UTF8", "GET /public/%e2%82 HTTP/1.1\r\nHost: a\r\n\r\n"),
        answered("escaped slash", 400, "PATH_ESCAPED_SLASH", "GET /public/..%2fadmin HTTP/1.1\r\nHost: a\r\n\r\n"),
        answered("backslash", 400, "PATH_INVALID", "GET /public/..\\admin HTTP/1.1\r\nHost: a\r\n\r\n"),
        answered("dot segments out of the route", 404, "ROUTE_NOT_FOUND", "GET /public/%2e%2e/admin HTTP/1.1\r\nHost: a\r\n\r\n"),
        // chunked bodies (the head is accepted; the body is refused when the bad chunk arrives)
        refused("chunk size overflow", 400, "CHUNK_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n"),
        refused("chunk size that wraps a 32-bit int to the last chunk", 400, "CHUNK_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n100000000\r\n\r\n" + SMUGGLED),
        refused("chunk size that wraps a 32-bit int to a small one", 400, "CHUNK_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n100000005\r\nhello\r\n0\r\n\r\n"
                + SMUGGLED),
        refused("chunk size of 2^31", 400, "CHUNK_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n80000000\r\nhello\r\n0\r\n\r\n"),
        refused("negative chunk size", 400, "CHUNK_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n"),
        refused("chunk longer than its size", 400, "CHUNK_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n" + SMUGGLED),
        refused("bare CR after a chunk size", 400, "CHUNK_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\rhello\r\n0\r\n\r\n"),
        refused("control character in a chunk extension", 400, "CHUNK_INVALID",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\0\r\nhello\r\n0\r\n\r\n"));
  }

  /** A case the edge refuses for its framing: answered, then the connection is closed. */
  private static Arguments refused(String name, int status, String key, String raw) {
    return Arguments.of(name, status, key, raw, true);
  }

  /** A well-framed request refused by routing-level checks: answered, and the connection may be reused. */
  private static Arguments answered(String name, int status, String key, String raw) {
    return Arguments.of(name, status, key, raw, false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusedCasesNeverReachTheBackend(String name, int status, String key, String raw, boolean closes)
      throws IOException {
    List<Response> answers = exchange(raw, closes ? 2 : 1);
    assertThat(answers).as("exactly one answer").hasSize(1);
    Response answer = answers.get(0);
    assertThat(answer.status).isEqualTo(status);
    assertThat(answer.body).contains("\"key\":\"" + key + "\"");
    assertThat(answer.headers).contains("application/problem+json");
    if (closes) {
      assertThat(answer.closed).as("the connection is closed after a framing refusal").isTrue();
    }
    assertNothingPassedAndNextConnectionWorks();
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("chunked with an extension and a trailer",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nX-T: 1\r\n\r\n", "hello"),
        Arguments.of("chunk size with leading zeros",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n000000005\r\nhello\r\n0\r\n\r\n", "hello"),
        Arguments.of("chunked, tab before the value",
            "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\tChunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", "hello"),
        Arguments.of("Content-Length", "POST /public/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", "hello"),
        Arguments.of("HTTP/1.0 without Host", "GET /public/x HTTP/1.0\r\n\r\n", ""),
        Arguments.of("empty lines before the request line", "\r\n\r\nGET /public/x HTTP/1.1\r\nHost: a\r\n\r\n", ""),
        Arguments.of("IPv6 Host with a port", "GET /public/x HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void wellFormedEdgeCasesAreProxiedOnce(String name, String raw, String body) throws IOException {
    List<Response> answers = exchange(raw, 1);
    assertThat(answers).hasSize(1);
    assertThat(answers.get(0).status).isEqualTo(200);
    Awaitility.await().until(() -> backend.requests.size() == 1);
    RecordingBackend.Received seen = backend.requests.get(0);
    assertThat(seen.path()).isEqualTo("/public/x");
    assertThat(seen.body()).isEqualTo(body);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderAndARefusalAmongThemEndsTheConnection() throws IOException {
    String bad = "POST /public/x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    List<Response> answers = exchange(GET_OK + GET_OK + bad + SMUGGLED + GET_OK, 5);
    assertThat(answers).extracting(r -> r.status).containsExactly(200, 200, 400);
    assertThat(answers.get(2).closed).isTrue();
    Awaitility.await().until(() -> backend.requests.size() == 2);
    assertThat(backend.requests).extracting(RecordingBackend.Received::path).containsExactly("/public/ok", "/public/ok");
  }

  @Test
  void theUpstreamGetsFramingTheGatewayComputed() throws IOException {
    List<Response> answers = exchange(
        "POST /public/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", 1);
    assertThat(answers).extracting(r -> r.status).containsExactly(200);
    Awaitility.await().until(() -> backend.requests.size() == 1);
    assertThat(backend.requests.get(0).body()).isEqualTo("hello world");
    assertThat(backend.requests.get(0).hasHeader("content-length")).isFalse();
  }

  @Test
  void clientAddressHeadersFromAnUntrustedPeerAreRemoved() throws IOException {
    exchange("GET /public/x HTTP/1.1\r\nHost: a\r\nX-Real-IP: 1.2.3.4\r\nTrue-Client-IP: 1.2.3.4\r\n"
        + "CF-Connecting-IP: 1.2.3.4\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n", 1);
    Awaitility.await().until(() -> backend.requests.size() == 1);
    RecordingBackend.Received seen = backend.requests.get(0);
    assertThat(seen.hasHeader("x-real-ip")).isFalse();
    assertThat(seen.hasHeader("true-client-ip")).isFalse();
    assertThat(seen.hasHeader("cf-connecting-ip")).isFalse();
    assertThat(seen.head()).contains("X-Forwarded-For: 127.0.0.1\r\n").doesNotContain("1.2.3.4");
  }

  @Test
  void aHeadThatTricklesInIsCutAtTheHeadersTimeout() throws Exception {
    try (Socket s = new Socket("127.0.0.1", gw.port())) {
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(1);
      Thread reader = new Thread(() -> {
        try {
          readSome(s.getInputStream(), got);
        } catch (IOException e) {
          // reset after the answer: what was read stays in `got`
        }
        answered.countDown();
      });
      reader.start();
      byte[] head = "GET /public/x HTTP/1.1\r\nHost: a\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
      // One byte every 50 ms (each keeps the idle timeout from firing): only the headers timeout can end it.
      for (int i = 0; answered.getCount() > 0 && i < 400; i++) {
        try {
          s.getOutputStream().write(i < head.length ? head[i] : 'x');
        } catch (IOException closed) {
          break;
        }
        answered.await(50, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      assertThat(answered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      String answer;
      synchronized (got) {
        answer = got.toString(StandardCharsets.ISO_8859_1);
      }
      assertThat(answer).startsWith("HTTP/1.1 408").contains("REQUEST_HEADERS_TIMEOUT");
    }
    assertNothingPassedAndNextConnectionWorks();
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAtTheHeadersTimeout() throws Exception {
    try (Socket s = new Socket("127.0.0.1", gw.port())) {
      s.setSoTimeout(15_000);
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).startsWith("HTTP/1.1 408");
    }
  }

  /** A head whose declared body is over the route's limit, and the first 16 KiB of that body. */
  private static byte[] oversizedUpload() {
    byte[] head = "POST /public/upload HTTP/1.1\r\nHost: a\r\nContent-Length: 20000000\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII);
    byte[] out = java.util.Arrays.copyOf(head, head.length + 16 * 1024);
    java.util.Arrays.fill(out, head.length, out.length, (byte) 'b');
    return out;
  }

  @Test
  void aClientStillSendingItsBodyReadsTheRefusalAndIsNotReset() throws Exception {
    try (Socket s = new Socket("127.0.0.1", gw.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(oversizedUpload());
      ResponseReader reader = new ResponseReader(s.getInputStream());
      Response answer = reader.next();
      assertThat(answer.status).isEqualTo(413);
      assertThat(answer.body).contains("\"key\":\"BODY_TOO_LARGE\"");
      assertThat(answer.closed).as("the answer is followed by an end of stream (the write side shut)").isTrue();
      // The gateway still reads (and drops) what the client sends: a closed socket would answer it with a
      // reset, and the second write would fail. Each pause gives a reset time to come back.
      byte[] more = new byte[4096];
      for (int i = 0; i < 10; i++) {
        s.getOutputStream().write(more);
        s.getOutputStream().flush();
        Thread.sleep(20);
      }
    }
    assertThat(backend.requests).isEmpty();
    assertNothingPassedAndNextConnectionWorks();
  }

  @Test
  void aClientThatKeepsSendingAfterARefusalIsCutOffAtTheLingerTimeout() throws Exception {
    try (Socket s = new Socket("127.0.0.1", gw.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(oversizedUpload());
      assertThat(new ResponseReader(s.getInputStream()).next().status).isEqualTo(413);
      long start = System.nanoTime();
      byte[] more = new byte[1024];
      // lingerTimeout is 2 s by default: after it the gateway closes, and the writes start failing.
      Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).pollInterval(java.time.Duration.ofMillis(50))
          .until(() -> {
            try {
              s.getOutputStream().write(more);
              s.getOutputStream().flush();
              return false;
            } catch (IOException reset) {
              return true;
            }
          });
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(java.time.Duration.ofSeconds(1));
    }
    assertThat(backend.requests).isEmpty();
  }

  @Test
  void refusalsAndAbortsGetOneAccessLogLineWithStatusAndKey() throws Exception {
    exchange("POST /public/smuggle HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 1);
    Awaitility.await().untilAsserted(() -> assertThat(Files.readString(gw.accessLog))
        .contains("\"method\":\"POST\",\"path\":\"/public/smuggle\",\"status\":400,\"error\":\"TRANSFER_ENCODING_INVALID\""));
    long lines = Files.readAllLines(gw.accessLog).stream().filter(l -> l.contains("/public/smuggle")).count();
    assertThat(lines).isEqualTo(1);
  }

  private void assertNothingPassedAndNextConnectionWorks() throws IOException {
    List<Response> next = exchange(GET_OK, 1);
    assertThat(next).extracting(r -> r.status).containsExactly(200);
    Awaitility.await().until(() -> !backend.requests.isEmpty());
    assertThat(backend.requests).extracting(RecordingBackend.Received::path)
        .as("the backend saw the follow-up request only").containsExactly("/public/ok");
    assertThat(backend.rawBytes()).doesNotContain("/admin").doesNotContain("hello");
  }

  /** One response as the client read it. */
  record Response(int status, String headers, String body, boolean closed) {}

  /**
   * Sends {@code raw} on a new connection and reads up to {@code max} responses, until the gateway closes the
   * connection (then the last response is marked closed) or no more bytes come for 3 s.
   */
  private List<Response> exchange(String raw, int max) throws IOException {
    List<Response> out = new ArrayList<>();
    try (Socket s = new Socket("127.0.0.1", gw.port())) {
      s.setSoTimeout(3000);
      s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      ResponseReader reader = new ResponseReader(s.getInputStream());
      while (out.size() < max) {
        Response r = reader.next();
        if (r == null) {
          break;
        }
        out.add(r);
        if (r.closed) {
          break;
        }
      }
    }
    return out;
  }

  /** Reads until the peer closes (or resets) the connection. */
  private static void readSome(InputStream in, ByteArrayOutputStream into) throws IOException {
    byte[] buf = new byte[4096];
    int n;
    while ((n = in.read(buf)) > 0) {
      synchronized (into) {
        into.write(buf, 0, n);
      }
    }
  }

  private static String hex(int n) {
    return Integer.toHexString(n);
  }

  /** Reads HTTP/1.1 responses framed by Content-Length (all the gateway and the recording backend send). */
  private static final class ResponseReader {
    private final InputStream in;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean eof;

    ResponseReader(InputStream in) {
      this.in = in;
    }

    boolean atEof() throws IOException {
      if (eof) {
        return true;
      }
      try {
        int b = in.read();
        if (b < 0) {
          eof = true;
        } else {
          pending.write(b);
        }
      } catch (SocketTimeoutException e) {
        return false;
      }
      return eof;
    }

    Response next() throws IOException {
      String head = readHead();
      if (head == null) {
        return null;
      }
      int status = Integer.parseInt(head.substring(9, 12));
      String lower = head.toLowerCase(Locale.ROOT);
      int i = lower.indexOf("\ncontent-length:");
      int length = i < 0 ? 0 : Integer.parseInt(lower.substring(i + 16, lower.indexOf('\r', i + 1)).trim());
      byte[] body = new byte[length];
      for (int k = 0; k < length; k++) {
        int b = read();
        if (b < 0) {
          break;
        }
        body[k] = (byte) b;
      }
      boolean closed = lower.contains("\nconnection: close") && atEof();
      return new Response(status, head, new String(body, StandardCharsets.ISO_8859_1), closed);
    }

    private int read() throws IOException {
      byte[] p = pending.toByteArray();
      if (p.length > 0) {
        pending.reset();
        pending.write(p, 1, p.length - 1);
        return p[0] & 0xff;
      }
      try {
        int b = in.read();
        if (b < 0) {
          eof = true;
        }
        return b;
      } catch (SocketTimeoutException e) {
        return -1;
      } catch (IOException reset) {
        eof = true;
        return -1;
      }
    }

    private String readHead() throws IOException {
      StringBuilder sb = new StringBuilder();
      int b;
      while ((b = read()) >= 0) {
        sb.append((char) b);
        if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
          return sb.toString();
        }
      }
      return null;
    }
  }
}
