#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Summarises an async-profiler collapsed-stack file of the gateway: where the event loop's CPU goes.

    bench/profile-summary.py PROFILE.collapsed [TOP]

Prints the share of all samples by thread kind (event loop, JIT compiler, GC, other), then, for the event
loop, the share by the leaf frame's owner (kernel, Netty, Vert.x, Sluice, GraalJS, JDK, native) and the
inclusive share of the steps of a proxied request, then the TOP hottest leaf frames.
"""
import collections
import sys

# Inclusive steps of a proxied request, matched as substrings of frame names. They nest: the request's handling
# includes its policy chain, which includes the upstream call the chain starts, which includes its socket write.
STEPS = [
    ("a request's handling (ProxyHandler.handle)", "ProxyHandler.handle"),
    ("policy chain (ChainRun), with what it starts", "policy/ChainRun"),
    ("JavaScript (GraalJS)", "org/graalvm/polyglot"),
    ("upstream call (UpstreamCall.start)", "UpstreamCall.start"),
    ("upstream response head (UpstreamCall.headArrived)", "UpstreamCall.headArrived"),
    ("relay to the client (ProxyExchange.relay)", "ProxyExchange.relay"),
    ("header copying (HopByHopHeaders.copy)", "HopByHopHeaders.copy"),
    ("HTTP/1.x decoding (Netty HttpObjectDecoder)", "HttpObjectDecoder.decode"),
    ("HTTP/1.x encoding (Netty HttpObjectEncoder)", "HttpObjectEncoder.encode"),
    ("socket writes (send)", "Socket.sendAddress"),
    ("socket reads (recv)", "Socket.recvAddress"),
    ("waiting for events (epoll)", "epoll_pwait"),
    ("deadline tick (ExchangeDeadlines)", "ExchangeDeadlines"),
]


def owner(leaf):
    if leaf.endswith("_[k]"):
        return "kernel"
    for prefix, name in (("io/netty", "Netty"), ("io/vertx", "Vert.x"), ("io/sluice", "Sluice"),
                         ("com/oracle/truffle", "GraalJS/Truffle"), ("org/graalvm", "GraalJS/Truffle"),
                         ("com/oracle/js", "GraalJS/Truffle"), ("java/", "JDK"), ("jdk/", "JDK"),
                         ("sun/", "JDK")):
        if leaf.startswith(prefix):
            return name
    return "native (libc, JVM stubs)"


def thread_kind(frames):
    head = ";".join(frames[:8])
    if "Compile" in head or "Phase" in head or "Compiler" in head:
        return "JIT compiler"
    if "GC" in frames[0] or "ParallelTask" in head or "GCTask" in head:
        return "garbage collector"
    if any("EpollIoHandler.run" in f or "NioIoHandler.run" in f for f in frames[:14]):
        return "event loop"
    return "other threads"


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    kinds, owners, steps, leaves = (collections.Counter() for _ in range(4))
    total = loop = 0
    with open(path) as f:
        for line in f:
            stack, _, n = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            n = int(n)
            frames = stack.split(";")
            total += n
            kind = thread_kind(frames)
            kinds[kind] += n
            if kind != "event loop":
                continue
            loop += n
            leaves[frames[-1]] += n
            owners[owner(frames[-1])] += n
            for label, needle in STEPS:
                if any(needle in fr for fr in frames):
                    steps[label] += n
    if total == 0:
        sys.exit("no samples in " + path)
    print(f"{total} samples")
    for k, v in kinds.most_common():
        print(f"  {v / total * 100:5.1f}%  {k}")
    if loop == 0:
        return
    print(f"event loop, {loop} samples, by the leaf frame's owner:")
    for k, v in owners.most_common():
        print(f"  {v / loop * 100:5.1f}%  {k}")
    print("event loop, inclusive, by step (steps nest):")
    for label, _ in STEPS:
        if steps[label]:
            print(f"  {steps[label] / loop * 100:5.1f}%  {label}")
    print(f"event loop, hottest {top} leaf frames:")
    for k, v in leaves.most_common(top):
        print(f"  {v / loop * 100:5.1f}%  {k[:140]}")


if __name__ == "__main__":
    main()
