"""The pipe protocol between the lab (Node) and the runner.

lab → runner (stdin): frames of  u32 LE header length | JSON header | header['bytes'] raw bytes.
runner → lab (stdout): one JSON object per line; when it has 'bytes': n, exactly n raw bytes follow the newline.
"""
import json
import struct
import sys


class Closed(Exception):
    """The lab closed the pipe: the run is over (or the lab is gone)."""


def _read_exact(stream, n):
    chunks = []
    while n > 0:
        b = stream.read(n)
        if not b:
            raise Closed()
        chunks.append(b)
        n -= len(b)
    return b''.join(chunks)


def read_frame(stream=None):
    stream = stream or sys.stdin.buffer
    (n,) = struct.unpack('<I', _read_exact(stream, 4))
    header = json.loads(_read_exact(stream, n))
    payload = _read_exact(stream, header.get('bytes', 0)) if header.get('bytes') else b''
    return header, payload


def send(message, payload=None, stream=None):
    stream = stream or sys.stdout.buffer
    if payload is not None:
        message = dict(message, bytes=len(payload))
    stream.write(json.dumps(message, separators=(',', ':'), allow_nan=True).encode() + b'\n')
    if payload is not None:
        stream.write(payload)
    stream.flush()
