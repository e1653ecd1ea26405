#!/usr/bin/env python3
"""Sequential round trips of 32-byte datagrams, one in flight, from a plain Python UDP client.

Four paths to one UDP echo process, measured one after the other in one run:
  raw    the client talks to the echo directly;
  socat  through two socat relay processes in a row (UDP4-LISTEN ... UDP4:...), the floor a
         plain relay chain sets on this machine;
  sudp   through an SUDP client and server, each a process of the packaged jar with a minimal
         configuration and the shipped defaults otherwise;
  sudp-warm-up  the same with the key warm-up: WARM_UP (--sudp-warm-up, 3s) in both files.
Each path first gets --warm-up-seconds of the same round trips, unmeasured, then --samples
measured ones. Prints p50, p99, p99.9 and max in microseconds as a Markdown table.

  python3 src/test/python/sequential_latency.py [--jar target/sudp.jar] [--samples 5000]
      [--warm-up-seconds 10] [--sudp-warm-up 3s] [--paths raw,socat,sudp,sudp-warm-up]
      [--java java]

Needs socat for the socat row (skipped with the reason when it is missing) and java for the
sudp row. Every process it starts is stopped when it ends.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

PAYLOAD = 32


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_tcp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def udp_port_bound(port):
    """Whether a socket is bound to the port on 127.0.0.1 (Linux: /proc/net/udp)."""
    wanted = "0100007F:%04X" % port
    with open("/proc/net/udp") as table:
        return any(line.split()[1] == wanted for line in list(table)[1:])


def wait_until_bound(port, process):
    """socat ends at its first refused datagram, so nothing is sent before its port is bound."""
    end = time.monotonic() + 30
    while time.monotonic() < end and process.poll() is None:
        if udp_port_bound(port):
            return
        time.sleep(0.01)
    raise RuntimeError("nothing bound UDP port %d" % port)


def echo(port):
    """The echo process: every datagram back to its sender, byte for byte."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    while True:
        data, peer = s.recvfrom(65535)
        s.sendto(data, peer)


class Client:
    """One connected socket; each datagram carries its sequence number, older replies are
    drained and ignored, so a late reply is never taken for the current one."""

    def __init__(self, port):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.connect(("127.0.0.1", port))
        self.seq = 0
        self.lost = 0

    def round_trip(self, timeout):
        self.seq += 1
        payload = self.seq.to_bytes(8, "big") + bytes(PAYLOAD - 8)
        self.sock.settimeout(timeout)
        start = time.perf_counter_ns()
        self.sock.send(payload)
        while True:
            try:
                reply = self.sock.recv(2048)
            except (socket.timeout, ConnectionRefusedError):
                self.lost += 1
                return None
            if reply == payload:
                return (time.perf_counter_ns() - start) / 1000.0

    def wait_until_answered(self, deadline_seconds, running):
        end = time.monotonic() + deadline_seconds
        while time.monotonic() < end and running():
            if self.round_trip(0.2) is not None:
                self.lost = 0
                return
        raise RuntimeError("no reply (a process ended, or %d s passed)" % deadline_seconds)

    def close(self):
        self.sock.close()


def measure(port, samples, warm_up_seconds, running):
    client = Client(port)
    try:
        client.wait_until_answered(90, running)
        end = time.monotonic() + warm_up_seconds
        while time.monotonic() < end:
            client.round_trip(1.0)
        client.lost = 0
        times = [t for t in (client.round_trip(1.0) for _ in range(samples)) if t is not None]
        return sorted(times), client.lost
    finally:
        client.close()


def percentile(sorted_times, fraction):
    return sorted_times[min(len(sorted_times) - 1, int(len(sorted_times) * fraction))]


class Processes:
    def __init__(self):
        self.started = []

    def start(self, args, **kwargs):
        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, **kwargs)
        self.started.append(process)
        return process

    def running(self):
        return all(process.poll() is None for process in self.started)

    def stop(self):
        for process in reversed(self.started):
            if process.poll() is None:
                process.terminate()
        for process in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.started = []


def sudp_files(directory, echo_port, warm_up):
    """A server and a client file: one tunnel to the echo, nothing else but the warm-up."""
    server_port = free_tcp_port()
    listen = free_udp_port()
    head = "warm-up: %s\n" % warm_up if warm_up else ""
    server = os.path.join(directory, "server.yaml")
    client = os.path.join(directory, "client.yaml")
    with open(server, "w") as f:
        f.write(head + "server:\n  listen: 127.0.0.1:%d\n  allow: [\"127.0.0.1:%d\"]\n"
                % (server_port, echo_port))
    with open(client, "w") as f:
        f.write(head + "client:\n  server: ws://127.0.0.1:%d/sudp\n  tunnels:\n"
                "    - name: sequential\n      listen: 127.0.0.1:%d\n      destination: 127.0.0.1:%d\n"
                % (server_port, listen, echo_port))
    return server, client, listen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jar", default="target/sudp.jar")
    parser.add_argument("--java", default="java", help="the java command for the sudp rows")
    parser.add_argument("--samples", type=int, default=5000)
    parser.add_argument("--warm-up-seconds", type=float, default=10)
    parser.add_argument("--sudp-warm-up", default="3s", help="warm-up key of the sudp-warm-up row")
    parser.add_argument("--paths", default="raw,socat,sudp,sudp-warm-up")
    parser.add_argument("--echo", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.echo:
        echo(options.echo)
        return 0

    # SIGTERM unwinds through the finally below, so that no process of this run outlives it
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    echo_process = Processes()
    processes = Processes()
    rows = []
    directory = tempfile.mkdtemp(prefix="sudp-sequential-")
    try:
        echo_port = free_udp_port()
        wait_until_bound(echo_port, echo_process.start(
            [sys.executable, os.path.abspath(__file__), "--echo", str(echo_port)]))
        for path in options.paths.split(","):
            if path == "raw":
                port = echo_port
            elif path == "socat":
                if shutil.which("socat") is None:
                    rows.append((path, "skipped: socat is not installed"))
                    continue
                middle, front = free_udp_port(), free_udp_port()
                wait_until_bound(middle, processes.start(
                    ["socat", "UDP4-LISTEN:%d,bind=127.0.0.1" % middle,
                     "UDP4:127.0.0.1:%d" % echo_port]))
                wait_until_bound(front, processes.start(
                    ["socat", "UDP4-LISTEN:%d,bind=127.0.0.1" % front,
                     "UDP4:127.0.0.1:%d" % middle]))
                port = front
            elif path in ("sudp", "sudp-warm-up"):
                warm_up = options.sudp_warm_up if path == "sudp-warm-up" else ""
                server, client, port = sudp_files(directory, echo_port, warm_up)
                for role, config in (("server", server), ("client", client)):
                    with open(os.path.join(directory, role + ".log"), "w") as log:
                        # a runtime directory of its own: no PID file shared with other instances
                        processes.start([options.java, "-jar", options.jar, role, "-c", config],
                                        stdout=log, stderr=subprocess.STDOUT,
                                        env=dict(os.environ, XDG_RUNTIME_DIR=directory))
            else:
                parser.error("unknown path " + path)
            try:
                times, lost = measure(port, options.samples, options.warm_up_seconds,
                                      processes.running)
            except RuntimeError as e:
                for name in sorted(os.listdir(directory)):
                    if name.endswith(".log"):
                        with open(os.path.join(directory, name)) as log:
                            print("%s:\n%s" % (name, "".join(log.readlines()[-20:])),
                                  file=sys.stderr)
                raise RuntimeError("%s: %s" % (path, e)) from None
            rows.append((path, "%.1f | %.1f | %.1f | %.1f | %d" % (
                percentile(times, 0.5), percentile(times, 0.99), percentile(times, 0.999),
                times[-1], lost)))
            processes.stop()
    finally:
        processes.stop()
        echo_process.stop()
        shutil.rmtree(directory, ignore_errors=True)

    print("sequential round trips, %d B, %d samples after %g s of the same (client: Python)"
          % (PAYLOAD, options.samples, options.warm_up_seconds))
    print("| path | p50 µs | p99 µs | p99.9 µs | max µs | lost |")
    print("|---|---:|---:|---:|---:|---:|")
    for path, figures in rows:
        print("| %s | %s |" % (path, figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
