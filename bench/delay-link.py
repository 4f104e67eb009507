#!/usr/bin/env python3
"""A delayed Ethernet link between two TAP devices, for bench/scan.ts (this kernel has no tc netem).

Opens TAP devices NAME_A and NAME_B (created here, owned by this process) and forwards every frame from one
to the other after holding it DELAY_MS milliseconds, in each direction. Prints "ready" once both exist; the
caller then moves them into their namespaces. Runs until stdin closes or it is killed. Frames are never
reordered (a FIFO per direction), and at most MAX_QUEUED frames wait per direction: beyond that a frame is
dropped, as a real queue would.
usage: delay-link.py NAME_A NAME_B DELAY_MS
"""
import fcntl
import os
import select
import struct
import sys
import time
from collections import deque

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
MAX_QUEUED = 200_000


def open_tap(name: str) -> int:
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    return fd


def main() -> None:
    name_a, name_b, delay_ms = sys.argv[1], sys.argv[2], float(sys.argv[3])
    delay = delay_ms / 1000.0
    fd_a, fd_b = open_tap(name_a), open_tap(name_b)
    peer = {fd_a: fd_b, fd_b: fd_a}
    queues = {fd_a: deque(), fd_b: deque()}  # frames waiting to be written TO this fd: (due, frame)
    print("ready", flush=True)
    poller = select.epoll()
    poller.register(fd_a, select.EPOLLIN)
    poller.register(fd_b, select.EPOLLIN)
    poller.register(sys.stdin.fileno(), select.EPOLLIN | select.EPOLLHUP)
    while True:
        now = time.monotonic()
        due = [q[0][0] for q in queues.values() if q]
        timeout = max(0.0, min(due) - now) if due else 1.0
        for fd, _events in poller.poll(timeout):
            if fd == sys.stdin.fileno():
                return
            target = peer[fd]
            arrived = time.monotonic()
            for _ in range(256):  # drain a batch per wake-up
                try:
                    frame = os.read(fd, 65536)
                except BlockingIOError:
                    break
                if len(queues[target]) < MAX_QUEUED:
                    queues[target].append((arrived + delay, frame))
        now = time.monotonic()
        for fd, queue in queues.items():
            while queue and queue[0][0] <= now:
                _, frame = queue.popleft()
                try:
                    os.write(fd, frame)
                except (BlockingIOError, OSError):
                    pass  # the interface is down or full: the frame is lost, as on a wire


if __name__ == "__main__":
    main()
