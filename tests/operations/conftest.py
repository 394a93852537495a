import socket
import socketserver
import struct
import threading
from types import SimpleNamespace

import pytest

from motcua.accounts.models import Role, User
from tests.dossiers.conftest import world  # noqa: F401 — the shared small province

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture
def operator(world):  # noqa: F811 — the imported fixture
    world.operator = User.objects.create(
        username="vanhanh",
        kind=User.Kind.STAFF,
        role=Role.SYSTEM_OPERATOR,
        agency=world.province,
        full_name="Trần Văn Vận",
    )
    return world.operator


def _read_exact(sock, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


class _Clamd(socketserver.BaseRequestHandler):
    """clamd's INSTREAM as the daemon speaks it: the command, length-prefixed chunks up to a
    zero length, one NUL-terminated reply."""

    def handle(self):
        state = self.server.state
        command = _read_exact(self.request, len(b"zINSTREAM\0"))
        state.commands.append(command)
        received, chunks = b"", 0
        while True:
            (size,) = struct.unpack("!L", _read_exact(self.request, 4))
            if size == 0:
                break
            received += _read_exact(self.request, size)
            chunks += 1
        state.streams.append((received, chunks))
        if state.reply is not None:
            answer = state.reply
        elif EICAR in received:
            answer = b"stream: Eicar-Test-Signature FOUND\0"
        else:
            answer = b"stream: OK\0"
        self.request.sendall(answer)


@pytest.fixture
def clamd(settings, tmp_path):
    """A tiny clamd on a TCP port, set as the scanner; ``.reply`` forces an answer."""
    state = SimpleNamespace(commands=[], streams=[], reply=None)
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Clamd)
    server.state = state
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.address = f"127.0.0.1:{server.server_address[1]}"
    settings.MOTCUA_CLAMAV_ADDRESS = state.address
    settings.MOTCUA_CLAMAV_TIMEOUT = 5
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def unix_clamd(settings, tmp_path):
    """The same daemon on a Unix socket ("unix:/path")."""
    state = SimpleNamespace(commands=[], streams=[], reply=None)
    path = str(tmp_path / "clamd.ctl")
    server = socketserver.ThreadingUnixStreamServer(path, _Clamd)
    server.state = state
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MOTCUA_CLAMAV_ADDRESS = f"unix:{path}"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port():
    """A TCP port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
