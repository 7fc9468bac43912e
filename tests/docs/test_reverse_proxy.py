"""docs/deploy/nginx-ozg-cockpit.conf works as documented: nginx (Debian) on loopback in front of a stand-in
upstream: TLS, HTTP → HTTPS, no framing, /_stcore/metrics not public, X-Forwarded-For replaced by the real address."""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "docs" / "deploy" / "nginx-ozg-cockpit.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = pytest.mark.skipif(NGINX is None or shutil.which("openssl") is None,
                                reason="nginx/openssl not installed (ci/test.sh installs nginx)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Upstream(http.server.BaseHTTPRequestHandler):
    """Stands in for Streamlit: echoes the X-Forwarded-For it got; /_stcore/metrics would leak."""

    def do_GET(self):  # noqa: N802 — http.server's naming
        body = (b"secret metrics" if self.path == "/_stcore/metrics"
                else f"xff={self.headers.get('X-Forwarded-For')}".encode())
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nginx")
    os.chmod(tmp, 0o755)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=localhost", "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")],
                   check=True, capture_output=True)
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    https_port, http_port = free_port(), free_port()
    site = CONFIG.read_text(encoding="utf-8")
    for key, value in {"@LISTEN@": f"127.0.0.1:{https_port}", "@HTTP_LISTEN@": f"127.0.0.1:{http_port}",
                       "@SERVER_NAME@": "localhost", "@CERT@": str(tmp / "cert.pem"),
                       "@KEY@": str(tmp / "key.pem"), "@UPSTREAM@": f"127.0.0.1:{upstream.server_port}"}.items():
        site = site.replace(key, value)
    (tmp / "site.conf").write_text(site)
    temp_paths = " ".join(f"{d}_temp_path {tmp / d};" for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off; worker_processes 1; pid {tmp / 'nginx.pid'}; error_log {tmp / 'error.log'};\n"
        f"events {{}}\nhttp {{ access_log off; {temp_paths} include {tmp / 'site.conf'}; }}\n")
    process = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"nginx did not start: {process.stdout.read().decode()} "
                            f"{(tmp / 'error.log').read_text() if (tmp / 'error.log').exists() else ''}")
            time.sleep(0.1)
    yield https_port, http_port
    process.terminate()
    process.wait(timeout=10)
    upstream.shutdown()


def get(url: str, headers: dict | None = None):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode()


def test_app_through_tls_with_framing_forbidden_and_the_real_client_address(proxy):
    status, headers, body = get(f"https://127.0.0.1:{proxy[0]}/", {"X-Forwarded-For": "6.6.6.6"})
    assert status == 200
    assert body == "xff=127.0.0.1"  # the client's own header is replaced, not appended to
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_metrics_are_not_public(proxy):
    status, headers, body = get(f"https://127.0.0.1:{proxy[0]}/_stcore/metrics")
    assert status == 404 and "secret" not in body
    assert headers["X-Frame-Options"] == "DENY"


def test_plain_http_redirects_to_https(proxy):
    status, headers, _ = get(f"http://127.0.0.1:{proxy[1]}/meldung")
    assert status == 301 and headers["Location"] == "https://127.0.0.1/meldung"
