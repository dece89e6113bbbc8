// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An upstream on a plain socket that parses HTTP/1.1 the way a lenient origin server does (Content-Length or
 * chunked, keep-alive, pipelining), records every byte it receives and every complete request it parsed, and
 * answers each with {@code 200 ok}. A request smuggled past the gateway shows up here as a request the
 * gateway did not mean to send.
 */
final class RecordingBackend implements AutoCloseable {

  /** One complete request as the backend parsed it. */
  record Received(String requestLine, String head, String body) {
    String path() {
      String[] parts = requestLine.split(" ");
      return parts.length > 1 ? parts[1] : "";
    }

    boolean hasHeader(String name) {
      return head.toLowerCase(Locale.ROOT).contains("\n" + name.toLowerCase(Locale.ROOT) + ":");
    }
  }

  private final ServerSocket server;
  private final Thread acceptor;
  final List<Received> requests = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";
  /** The bytes written after each request: a 200 with a length unless a test says otherwise. */
  private volatile String answer = OK;

  RecordingBackend() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::accept, "recording-backend");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Upstreams and routes sending {@code /public/**}, and nothing else, to this backend (the raw-socket suites). */
  String publicRoute() {
    return """
        upstreams:
          app:
            targets: ["%s"]
        routes:
          - id: public
            path: /public/**
            upstream: app
        """.formatted(url());
  }

  synchronized String rawBytes() {
    return raw.toString(StandardCharsets.ISO_8859_1);
  }

  /** Answers every request from now on with {@code raw} bytes (until {@link #clear}). */
  void answer(String raw) {
    answer = raw;
  }

  void clear() {
    answer = OK;
    requests.clear();
    synchronized (this) {
      raw.reset();
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "recording-backend-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      Reader r = new Reader(in);
      while (true) {
        String head = r.head();
        if (head == null) {
          return;
        }
        String lower = head.toLowerCase(Locale.ROOT);
        String body;
        if (lower.contains("\ntransfer-encoding:") && lower.contains("chunked")) {
          body = r.chunked();
        } else {
          int cl = contentLength(lower);
          body = r.exactly(cl);
        }
        if (body == null) {
          return; // cut short: never a complete request
        }
        requests.add(new Received(head.substring(0, head.indexOf('\r')), head, body));
        out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // connection reset or malformed: not a request
    }
  }

  private static int contentLength(String lowerHead) {
    int i = lowerHead.indexOf("\ncontent-length:");
    if (i < 0) {
      return 0;
    }
    int end = lowerHead.indexOf('\r', i + 1);
    return Integer.parseInt(lowerHead.substring(i + 16, end).trim());
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  /** Reads from a connection, copying every byte into the recording. */
  private final class Reader {
    private final InputStream in;

    Reader(InputStream in) {
      this.in = in;
    }

    private int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        synchronized (RecordingBackend.this) {
          raw.write(b);
        }
      }
      return b;
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      int b;
      while ((b = read()) >= 0) {
        sb.append((char) b);
        if (b == '\n') {
          return sb.toString();
        }
      }
      return null;
    }

    String head() throws IOException {
      StringBuilder sb = new StringBuilder();
      String line;
      while ((line = line()) != null) {
        sb.append(line);
        if (line.equals("\r\n") || line.equals("\n")) {
          return sb.toString();
        }
      }
      return null;
    }

    String exactly(int n) throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < n; i++) {
        int b = read();
        if (b < 0) {
          return null;
        }
        sb.append((char) b);
      }
      return sb.toString();
    }

    String chunked() throws IOException {
      StringBuilder body = new StringBuilder();
      while (true) {
        String size = line();
        if (size == null) {
          return null;
        }
        int n = Integer.parseInt(size.trim().split(";")[0], 16);
        if (n == 0) {
          String trailer;
          while ((trailer = line()) != null && !trailer.equals("\r\n")) {
            // trailers ignored
          }
          return trailer == null ? null : body.toString();
        }
        String data = exactly(n);
        if (data == null || line() == null) {
          return null;
        }
        body.append(data);
      }
    }
  }
}
