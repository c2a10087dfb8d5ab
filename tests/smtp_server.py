#!/usr/bin/python3
"""Local SMTP server for zongjie's mail tests (Debian python3-aiosmtpd).

    smtp_server.py --dir DIR [--port N | --port-file FILE] [--user U
                   --password P] [--refuse ADDR]... [--timeout SECONDS]
    smtp_server.py --print-free-port

Listens on 127.0.0.1 only.  Each accepted message is saved as
DIR/msg-NNN.eml (the raw bytes received after DATA, CRLF line ends, dots
unstuffed) with DIR/msg-NNN.json beside it ({"mail_from", "rcpt_tos",
"auth_login"}: the envelope).  With --user/--password, AUTH PLAIN and
LOGIN are offered without TLS (loopback only: auth_require_tls=False),
AUTH is required before MAIL, and any other pair is answered 535.  Each
--refuse address is answered 550 at RCPT TO.  With --port 0 (the default)
a free port is chosen; the port is written to --port-file once the server
accepts connections, so a test waits for that file.  The server stops on
SIGTERM/SIGINT or by itself after --timeout seconds (default 60), so a
test never hangs.  Exit status 0.
"""

import argparse
import json
import os
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port():
    """Returns a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class Handler:
    def __init__(self, outdir, refuse):
        self.outdir = outdir
        self.refuse = {a.lower() for a in refuse}
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 <%s>: recipient refused by test server" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        base = os.path.join(self.outdir, "msg-%03d" % n)
        login = None
        if isinstance(session.auth_data, LoginPassword):
            login = session.auth_data.login.decode("utf-8", "replace")
        meta = {"mail_from": envelope.mail_from,
                "rcpt_tos": list(envelope.rcpt_tos),
                "auth_login": login}
        write_atomic(base + ".eml", envelope.original_content)
        write_atomic(base + ".json",
                     json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        return "250 2.0.0 message %d accepted" % n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", help="directory for received messages")
    ap.add_argument("--port", type=int, default=0, help="0: pick a free one")
    ap.add_argument("--port-file", help="write the port here when ready")
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--refuse", action="append", default=[],
                    help="answer 550 to RCPT TO this address")
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="stop after this many seconds")
    ap.add_argument("--print-free-port", action="store_true",
                    help="print a free port (for a 'server down' test)")
    a = ap.parse_args()

    if a.print_free_port:
        print(free_port())
        return 0
    if not a.dir:
        ap.error("--dir is required")
    if (a.user is None) != (a.password is None):
        ap.error("--user and --password go together")
    os.makedirs(a.dir, exist_ok=True)

    kwargs = {}
    if a.user is not None:
        user = a.user.encode("utf-8")
        password = a.password.encode("utf-8")

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login == user
                  and auth_data.password == password)
            # handled=False: aiosmtpd itself answers 235 or 535.
            return AuthResult(success=ok, handled=False,
                              auth_data=auth_data if ok else None)

        kwargs = dict(authenticator=authenticator, auth_required=True,
                      auth_require_tls=False)

    port = a.port or free_port()
    ctl = Controller(Handler(a.dir, a.refuse), hostname="127.0.0.1",
                     port=port, **kwargs)
    ctl.start()
    if a.port_file:
        write_atomic(a.port_file, b"%d\n" % port)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait(a.timeout)
    ctl.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
