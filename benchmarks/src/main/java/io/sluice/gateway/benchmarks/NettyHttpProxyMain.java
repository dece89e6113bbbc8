// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The floor under any JVM proxy built on Netty: a reverse proxy to one origin made of nothing but Netty's
 * HTTP/1 codecs and a few dozen lines of forwarding, the reference peer of {@code bench/run.sh}'s
 * {@code netty-proxy} scenario (issue #14). It answers one question: what does one proxied request cost on
 * this machine in a JVM with Netty's epoll transport and HTTP codec, and nothing else — no Vert.x, no header
 * map of its own, no futures, no route table.
 *
 * <pre>NettyHttpProxyMain PORT BACKEND_HOST BACKEND_PORT   (listens on 127.0.0.1:PORT)</pre>
 *
 * <p>One event loop (native epoll), TCP_NODELAY both ways, a keep-alive pool of idle origin connections (a
 * deque: one thread, no locks), Sluice's head limits and 64 KiB pieces. Per request it drops the
 * {@code Connection} and {@code Keep-Alive} headers both ways and forwards Netty's message objects as they
 * are, flushing once per message end. It is a measuring instrument, not a proxy to deploy: no pipelining
 * (one request in flight per client connection, as wrk sends), no timeouts, no {@code Host} rewrite, no
 * upgrade, no error answers (a failed origin connection closes the client's).
 */
public final class NettyHttpProxyMain {

  private static final int MAX_CHUNK_SIZE = 64 * 1024;
  private static final int DECODER_SLACK = 4096;

  private final Bootstrap origin;
  private final ArrayDeque<Channel> idle = new ArrayDeque<>();

  private NettyHttpProxyMain(EventLoopGroup group, String host, int port) {
    origin = new Bootstrap()
        .group(group)
        .channel(EpollSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .remoteAddress(host, port)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec(16 * 1024, 64 * 1024, MAX_CHUNK_SIZE), new Back());
          }
        });
  }

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 3) {
      System.err.println("usage: NettyHttpProxyMain PORT BACKEND_HOST BACKEND_PORT");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    // The thread's name is what bench/run.sh's allocation figure looks for.
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(
        1, new DefaultThreadFactory("netty-eventloop"), EpollIoHandler.newFactory());
    NettyHttpProxyMain proxy = new NettyHttpProxyMain(group, args[1], Integer.parseInt(args[2]));
    new ServerBootstrap()
        .group(group)
        .channel(EpollServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(
                new HttpServerCodec(8192 + DECODER_SLACK, 16 * 1024 + DECODER_SLACK, MAX_CHUNK_SIZE),
                proxy.new Front());
          }
        })
        .bind("127.0.0.1", port)
        .sync();
    System.out.println("Netty proxy on 127.0.0.1:" + port + " -> " + args[1] + ":" + args[2]);
  }

  private static void dropHopHeaders(HttpMessage message) {
    message.headers().remove(HttpHeaderNames.CONNECTION).remove(HttpHeaderNames.KEEP_ALIVE);
  }

  /** A client connection: forwards its request to an origin connection and relays the answer back. */
  private final class Front extends ChannelInboundHandlerAdapter {
    private ChannelHandlerContext ctx;
    private Channel back;
    private Back backHandler;
    private boolean keepAlive = true;
    /** Messages that arrived while the origin connection was being opened. */
    private List<Object> pending;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        keepAlive = HttpUtil.isKeepAlive(request);
        dropHopHeaders(request);
        Channel channel;
        while ((channel = idle.pollLast()) != null && !channel.isActive()) {
          // closed while idle
        }
        if (channel != null) {
          attach(channel);
        } else {
          pending = new ArrayList<>(2);
          ChannelFuture connect = origin.connect();
          connect.addListener(f -> {
            if (!f.isSuccess()) {
              pending.forEach(ReferenceCountUtil::release);
              pending = null;
              ctx.close();
              return;
            }
            attach(connect.channel());
            List<Object> queued = pending;
            pending = null;
            queued.forEach(this::forward);
          });
        }
      }
      if (pending != null) {
        pending.add(msg);
      } else {
        forward(msg);
      }
    }

    private void attach(Channel channel) {
      back = channel;
      backHandler = channel.pipeline().get(Back.class);
      backHandler.front = this;
    }

    private void forward(Object msg) {
      if (msg instanceof LastHttpContent) {
        back.writeAndFlush(msg);
      } else {
        back.write(msg);
      }
    }

    /** The origin's answer, a message at a time; the last one frees the origin connection for reuse. */
    void answer(Object msg) {
      if (msg instanceof HttpMessage response) {
        dropHopHeaders(response);
      }
      if (msg instanceof LastHttpContent) {
        Channel channel = back;
        back = null;
        backHandler.front = null;
        backHandler = null;
        idle.addLast(channel);
        if (keepAlive) {
          ctx.writeAndFlush(msg);
        } else {
          ctx.writeAndFlush(msg).addListener(f -> ctx.close());
        }
      } else {
        ctx.write(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (back != null) {
        back.close();
        back = null;
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** An origin connection: hands the answer's messages to the client connection it serves. */
  private final class Back extends ChannelInboundHandlerAdapter {
    private Front front;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (front == null) {
        ReferenceCountUtil.release(msg);
        ctx.close();
        return;
      }
      front.answer(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      idle.remove(ctx.channel());
      if (front != null) {
        front.ctx.close();
        front = null;
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
