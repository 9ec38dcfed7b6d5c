"""Start and stop a throw-away OpenLink Virtuoso (Debian `virtuoso-opensource`) on 127.0.0.1, for tests and benchmarks.

    with start_virtuoso(folder) as v:          # writes folder/virtuoso.ini, free ports, a fresh database
        v.sparql_url, v.graph_store_url        # /sparql (read) and /sparql-graph-crud-auth (digest, dba/dba)
        v.bulk_load(path_to_nt, graph_iri)     # ld_dir + rdf_loader_run + checkpoint, through isql
Nothing is installed here: `virtuoso-t` (and `isql-vt` for bulk loads) must be on PATH
(scripts/install-system-deps.sh installs them). A fresh database has the user dba with password dba.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SERVER = "virtuoso-t"
ISQL = ("isql-vt", "isql")
VAD_DIR = "/usr/share/virtuoso-opensource-7/vad"
START_TIMEOUT_S = 90
USER, PASSWORD = "dba", "dba"

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
DirsAllowed = ., {dir}, {load_dir}, {vad}
VADInstallDir = {vad}/
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
MaxQueryMem = 2G
ThreadsPerQuery = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/vsp
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 300
MaxQueryCostEstimationTime = 400
"""


def free_port() -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def virtuoso_missing() -> str | None:
    """Why Virtuoso cannot run here, or None."""
    if shutil.which(SERVER) is None:
        return (
            f"`{SERVER}` not found: install the Debian package virtuoso-opensource "
            "(scripts/install-system-deps.sh does it as root)"
        )
    return None


@dataclass
class Virtuoso:
    folder: Path
    sql_port: int
    http_port: int
    process: subprocess.Popen

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql_url(self) -> str:
        """Read-only SPARQL 1.1 Protocol endpoint (no auth)."""
        return self.base + "/sparql"

    @property
    def graph_store_url(self) -> str:
        """SPARQL 1.1 Graph Store HTTP Protocol endpoint with digest auth (dba/dba)."""
        return self.base + "/sparql-graph-crud-auth"

    @property
    def update_url(self) -> str:
        """SPARQL endpoint with digest auth that accepts SPARQL Update."""
        return self.base + "/sparql-auth"

    def sparql_url_for(self, graph_iri: str) -> str:
        """The /sparql endpoint with the named graph as default graph (Virtuoso's default graph is every graph)."""
        return self.sparql_url + "?" + urllib.parse.urlencode({"default-graph-uri": graph_iri})

    def isql(self, sql: str, timeout: float = 3600) -> str:
        """Run SQL through the isql command-line client; raises RuntimeError with its output on failure."""
        client = next((c for c in ISQL if shutil.which(c)), None)
        if client is None:
            raise RuntimeError("isql-vt not found (Debian package virtuoso-opensource)")
        done = subprocess.run(
            [client, f"127.0.0.1:{self.sql_port}", USER, PASSWORD, f"exec={sql}"], capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed on {sql!r}: {(done.stdout + done.stderr).strip()[-500:]}")
        return done.stdout

    def bulk_load(self, path: Path, graph_iri: str) -> None:
        """Virtuoso's bulk loader (ld_dir + rdf_loader_run), then a checkpoint so the data is durable."""
        path = Path(path).resolve()
        self.isql(f"ld_dir('{path.parent}', '{path.name}', '{graph_iri}');")
        self.isql("rdf_loader_run();")
        self.isql("checkpoint;")
        errors = self.isql(f"select ll_error from DB.DBA.load_list where ll_file = '{path}' and ll_error is not null;")
        if "0 Rows" not in errors:
            raise RuntimeError(f"bulk load of {path} reported errors: {errors.strip()[-500:]}")

    def stop(self, timeout: float = 60) -> None:
        """Ask the server to shut down; kill it if it does not within the timeout."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def write_ini(
    folder: Path, sql_port: int, http_port: int, *, load_dir: Path | None = None, buffers: int = 20000, max_rows: int = 10000
) -> Path:
    (folder / "vsp").mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(
        INI.format(
            dir=folder,
            sql_port=sql_port,
            http_port=http_port,
            load_dir=load_dir or folder,
            vad=VAD_DIR,
            buffers=buffers,
            dirty_buffers=buffers * 3 // 4,
            max_rows=max_rows,
        ),
        encoding="utf-8",
    )
    return ini


def _wait_until_ready(v: Virtuoso, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    url = v.sparql_url + "?" + urllib.parse.urlencode({"query": "ASK { }"})
    while time.monotonic() < deadline:
        if v.process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with {v.process.returncode}: {log.read_text(errors='replace')[-800:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"virtuoso-t did not answer on {v.sparql_url} within {START_TIMEOUT_S} s")


@contextmanager
def start_virtuoso(folder: Path | None = None, *, load_dir: Path | None = None, buffers: int = 20000, max_rows: int = 10000):
    """A fresh Virtuoso in `folder` (a new temporary folder when None, removed afterwards)."""
    missing = virtuoso_missing()
    if missing:
        raise RuntimeError(missing)
    owned = folder is None
    folder = Path(folder or tempfile.mkdtemp(prefix="painkg-virtuoso-")).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    ini = write_ini(folder, free_port(), free_port(), load_dir=load_dir, buffers=buffers, max_rows=max_rows)
    sql_port, http_port = _ports(ini)
    log = folder / "stdout.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [SERVER, "+configfile", str(ini), "+foreground"], cwd=folder, stdout=out, stderr=subprocess.STDOUT
        )
    v = Virtuoso(folder, sql_port, http_port, process)
    try:
        _wait_until_ready(v, log)
        yield v
    finally:
        v.stop()
        if owned:
            shutil.rmtree(folder, ignore_errors=True)


def _ports(ini: Path) -> tuple[int, int]:
    ports = [int(line.rsplit(":", 1)[1]) for line in ini.read_text().splitlines() if line.startswith("ServerPort")]
    return ports[0], ports[1]
