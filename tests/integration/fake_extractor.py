#!/usr/bin/python3
"""A hostile stand-in for evidenced-extractor, for test_lying_extractor.py:
it speaks the wire protocol (extractor/wire.h) up to the point where it
lies. What it does is chosen by the name it is started under
(fake-extractor-MODE), since its parent gives it no arguments and no
environment:

  wrong-version  says hello with another version
  huge           announces a reply of 1 TiB
  other-bytes    answers with a record for other bytes than it was given
  garbage        answers with bytes that are not JSON
  silent         reads the document and never answers
  exit           exits with status 3 in the middle of the document
  failed         says it cannot serve (a failure, not a record)
  progress-stall reports page 1 of 5 read by OCR, again and again, to keep
                 the document's clock from running out
"""
import json
import os
import socket
import struct
import sys
import time

MAGIC = 0x31585645
HEADER = struct.Struct("<IIQQ")
VERSION = "@VERSION@"


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            sys.exit(0)
        data += chunk
    return data


def send(sock, status, payload):
    sock.sendall(HEADER.pack(MAGIC, status, len(payload), 0) + payload)


def main():
    mode = os.path.basename(sys.argv[0]).split("fake-extractor-", 1)[1]
    sock = socket.socket(fileno=0)
    magic, typ, length, _ = HEADER.unpack(recv_exact(sock, HEADER.size))
    recv_exact(sock, length)                      # the setup
    version = "0.0.0-other" if mode == "wrong-version" else VERSION
    send(sock, 0, json.dumps({"version": version, "catalog_sha256": "",
                              "sandbox": "none: a test's liar"}).encode())
    while True:
        head, fds, _, _ = socket.recv_fds(sock, HEADER.size, 4)
        if not head:
            return
        head += recv_exact(sock, HEADER.size - len(head))
        magic, typ, length, size = HEADER.unpack(head)
        path = recv_exact(sock, length).decode()
        for fd in fds:
            os.close(fd)
        if mode == "huge":
            sock.sendall(HEADER.pack(MAGIC, 0, 1 << 40, 0))
        elif mode == "other-bytes":
            send(sock, 0, json.dumps({"path": path, "format": "docx", "size": size,
                                      "sha256": "0" * 64, "kind": "service-contract",
                                      "fields": {}, "metadata": {}, "warnings": []}).encode())
        elif mode == "garbage":
            send(sock, 0, b"this is not a record")
        elif mode == "silent":
            time.sleep(3600)
        elif mode == "exit":
            sys.exit(3)
        elif mode == "failed":
            send(sock, 2, json.dumps({"code": "io", "message": "no memfd"}).encode())
        elif mode == "progress-stall":
            while True:
                send(sock, 3, json.dumps({"page": 1, "pages": 5}).encode())
                time.sleep(0.1)


if __name__ == "__main__":
    main()
