#!/usr/bin/env python3
"""Sequential round trips of 32-byte datagrams, one in flight, from a plain Python UDP client.

Four paths to one UDP echo process, measured one after the other in one run:
  raw           the client talks to the echo directly;
  socat         through two socat relay processes in a row (UDP4-LISTEN ... UDP4:...), the floor
                a plain relay chain sets on this machine;
  sudp          through an SUDP client and server, each a process of the packaged jar with a
                minimal configuration and the shipped defaults otherwise;
  sudp-warm-up  the same with the key warm-up: WARM_UP (--sudp-warm-up, 3s) in both files.
Each path first gets --warm-up-seconds of the same round trips, unmeasured, then --samples
measured ones. Prints p50, p99, p99.9 and max in microseconds as a Markdown table, a row as soon
as its path is measured (n/a where there are too few samples for the percentile).

  python3 src/test/python/sequential_latency.py
  options: --jar target/sudp.jar --java java --samples 5000 --warm-up-seconds 10
           --sudp-warm-up 3s --paths raw,socat,sudp,sudp-warm-up

Linux only (/proc/net/udp, prctl). Needs socat for the socat row (skipped with the reason when it
is missing) and java for the sudp rows. Every process it starts ends with it: on SIGINT, SIGTERM
or SIGHUP it stops them, and each gets SIGTERM from the kernel if the script dies otherwise.
"""

import argparse
import ctypes
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

PAYLOAD = 32
PATHS = ("raw", "socat", "sudp", "sudp-warm-up")
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
PR_SET_PDEATHSIG = 1


class Stopped(Exception):
    """A stop signal came: the run ends, and every process it started with it."""


def on_stop_signal(signum, frame):
    raise Stopped(signal.Signals(signum).name)


def free_port(kind):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def udp_port_bound(port):
    """Whether a socket is bound to the port on 127.0.0.1, as an IPv4 socket or an IPv6 one
    (::ffff:127.0.0.1, as Netty's are): Linux's /proc/net/udp and udp6."""
    wanted = "0100007F:%04X" % port
    for name in ("/proc/net/udp", "/proc/net/udp6"):
        with open(name) as table:
            if any(line.split()[1].endswith(wanted) for line in list(table)[1:]):
                return True
    return False


def echo(port):
    """The echo process: every datagram back to its sender, byte for byte."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    while True:
        data, peer = s.recvfrom(65535)
        s.sendto(data, peer)


class Processes:
    """The processes of a run. Each is in a session of its own, so that a terminal's signals reach
    the script alone, which stops them in order; and each gets SIGTERM from the kernel when the
    script ends without stopping them (killed)."""

    def __init__(self):
        self.started = []

    def start(self, args, **kwargs):
        parent = os.getpid()

        def die_with_parent():
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
            if os.getppid() != parent:  # the script ended before the call
                os._exit(1)

        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, start_new_session=True,
                                   preexec_fn=die_with_parent, **kwargs)
        self.started.append(process)
        return process

    def check(self):
        for process in self.started:
            if process.poll() is not None:
                raise RuntimeError("%s ended (status %d)" % (process.args[0], process.returncode))

    def stop(self):
        """Stops them all, within bounded waits, with the stop signals held back meanwhile."""
        held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            for process in reversed(self.started):
                if process.poll() is None:
                    process.terminate()
            deadline = time.monotonic() + 20
            for process in self.started:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
                    try:
                        process.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        print("%s (pid %d) did not end" % (process.args[0], process.pid),
                              file=sys.stderr)
            self.started = []
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


def wait_until_bound(port, processes):
    """socat ends at its first refused datagram, and the tunnel's port is bound only once its
    client runs: nothing is sent before the port is bound."""
    end = time.monotonic() + 120
    while time.monotonic() < end:
        processes.check()
        if udp_port_bound(port):
            return
        time.sleep(0.02)
    raise RuntimeError("nothing bound UDP port %d within 120 s" % port)


class Client:
    """One connected socket; each datagram carries its sequence number, and replies to earlier
    ones are read and dropped, so a late reply is never taken for the current one."""

    def __init__(self, port):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.connect(("127.0.0.1", port))
        self.seq = 0
        self.lost = 0

    def round_trip(self, timeout):
        """Microseconds from send to reply; None (and counted lost) if none came in time."""
        self.seq += 1
        payload = self.seq.to_bytes(8, "big") + bytes(PAYLOAD - 8)
        start = time.perf_counter_ns()
        deadline = start + int(timeout * 1e9)
        try:
            self.sock.send(payload)
            while True:
                remaining = deadline - time.perf_counter_ns()
                if remaining <= 0:
                    break
                self.sock.settimeout(remaining / 1e9)
                if self.sock.recv(2048) == payload:
                    return (time.perf_counter_ns() - start) / 1000.0
        except (socket.timeout, ConnectionRefusedError):
            pass
        self.lost += 1
        return None

    def close(self):
        self.sock.close()


def measure(port, samples, warm_up_seconds, check):
    """Sorted round-trip times of the measured samples, and how many were lost; check() raises
    if a process of the path has ended."""
    client = Client(port)
    try:
        end = time.monotonic() + 90
        while client.round_trip(0.2) is None:
            check()
            if time.monotonic() > end:
                raise RuntimeError("no reply within 90 s")
            time.sleep(0.05)
        end = time.monotonic() + warm_up_seconds
        while time.monotonic() < end:
            if client.round_trip(1.0) is None:
                check()
        client.lost = 0
        times = []
        for i in range(samples):
            t = client.round_trip(1.0)
            if t is None or i % 256 == 0:
                check()
            if t is not None:
                times.append(t)
        if not times:
            raise RuntimeError("all %d round trips lost" % samples)
        return sorted(times), client.lost
    finally:
        client.close()


def percentile(sorted_times, fraction):
    """Nearest rank; n/a where the samples are too few to tell it from the maximum."""
    n = len(sorted_times)
    if fraction < 1 and n * (1 - fraction) < 1:
        return "n/a"
    return "%.1f" % sorted_times[max(0, math.ceil(n * fraction) - 1)]


def sudp_files(directory, echo_port, warm_up):
    """A server and a client file: one tunnel to the echo, nothing else but the warm-up."""
    server_port = free_port(socket.SOCK_STREAM)
    listen = free_port(socket.SOCK_DGRAM)
    head = "warm-up: %s\n" % warm_up if warm_up else ""
    server = os.path.join(directory, "server.yaml")
    client = os.path.join(directory, "client.yaml")
    with open(server, "w") as f:
        f.write(head + "server:\n  listen: 127.0.0.1:%d\n  allow: [\"127.0.0.1:%d\"]\n"
                % (server_port, echo_port))
    with open(client, "w") as f:
        f.write(head + "client:\n  server: ws://127.0.0.1:%d/sudp\n  tunnels:\n"
                "    - name: sequential\n      listen: 127.0.0.1:%d\n"
                "      destination: 127.0.0.1:%d\n" % (server_port, listen, echo_port))
    return server, client, listen


def start_path(path, options, directory, echo_port, processes):
    """Starts what the path needs; the UDP port to send to, or None where it cannot run."""
    if path == "raw":
        return echo_port
    if path == "socat":
        if shutil.which("socat") is None:
            return None
        middle, front = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_DGRAM)
        processes.start(["socat", "UDP4-LISTEN:%d,bind=127.0.0.1" % middle,
                         "UDP4:127.0.0.1:%d" % echo_port])
        wait_until_bound(middle, processes)
        processes.start(["socat", "UDP4-LISTEN:%d,bind=127.0.0.1" % front,
                         "UDP4:127.0.0.1:%d" % middle])
        wait_until_bound(front, processes)
        return front
    warm_up = options.sudp_warm_up if path == "sudp-warm-up" else ""
    server, client, listen = sudp_files(directory, echo_port, warm_up)
    for role, config in (("server", server), ("client", client)):
        with open(os.path.join(directory, role + ".log"), "w") as log:
            # a runtime directory of its own: no PID file shared with other instances
            processes.start([options.java, "-jar", options.jar, role, "-c", config],
                            stdout=log, stderr=subprocess.STDOUT,
                            env=dict(os.environ, XDG_RUNTIME_DIR=directory))
    wait_until_bound(listen, processes)
    return listen


def print_logs(directory):
    for name in sorted(os.listdir(directory)):
        if name.endswith(".log"):
            with open(os.path.join(directory, name)) as log:
                print("%s:\n%s" % (name, "".join(log.readlines()[-20:])), file=sys.stderr)


def run(options, directory):
    echo_process = Processes()
    processes = Processes()
    try:
        echo_port = free_port(socket.SOCK_DGRAM)
        echo_process.start([sys.executable, os.path.abspath(__file__), "--echo", str(echo_port)])
        wait_until_bound(echo_port, echo_process)
        print("sequential round trips, %d B, %d samples after %g s of the same (client: Python)"
              % (PAYLOAD, options.samples, options.warm_up_seconds))
        print("| path | p50 µs | p99 µs | p99.9 µs | max µs | lost |")
        print("|---|---:|---:|---:|---:|---:|", flush=True)
        for path in options.paths:
            port = start_path(path, options, directory, echo_port, processes)
            if port is None:
                print("| %s | skipped: socat is not installed | | | | |" % path, flush=True)
                continue
            try:
                times, lost = measure(port, options.samples, options.warm_up_seconds,
                                      lambda: (echo_process.check(), processes.check()))
            except RuntimeError as e:
                print_logs(directory)
                raise RuntimeError("%s: %s" % (path, e)) from None
            print("| %s | %s | %s | %s | %.1f | %d |" % (
                path, percentile(times, 0.5), percentile(times, 0.99),
                percentile(times, 0.999), times[-1], lost), flush=True)
            processes.stop()
    finally:
        processes.stop()
        echo_process.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jar", default="target/sudp.jar")
    parser.add_argument("--java", default="java", help="the java command for the sudp rows")
    parser.add_argument("--samples", type=int, default=5000)
    parser.add_argument("--warm-up-seconds", type=float, default=10)
    parser.add_argument("--sudp-warm-up", default="3s", help="warm-up key of the sudp-warm-up row")
    parser.add_argument("--paths", default=",".join(PATHS))
    parser.add_argument("--echo", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.echo:
        echo(options.echo)
        return 0
    options.paths = options.paths.split(",")
    unknown = [path for path in options.paths if path not in PATHS]
    if unknown:
        parser.error("unknown path %s (known: %s)" % (", ".join(unknown), ", ".join(PATHS)))
    if any(path.startswith("sudp") for path in options.paths):
        if shutil.which(options.java) is None:
            parser.error("no java command %s (--java)" % options.java)
        if not os.path.isfile(options.jar):
            parser.error("no jar %s (--jar; mvn -q -DskipTests package makes it)" % options.jar)

    for signum in STOP_SIGNALS:
        signal.signal(signum, on_stop_signal)
    directory = tempfile.mkdtemp(prefix="sudp-sequential-")
    try:
        run(options, directory)
        return 0
    except Stopped as stopped:
        print("stopped by %s" % stopped, file=sys.stderr)
        return 130
    finally:
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)  # ending anyway
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
