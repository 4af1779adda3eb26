"""A throwaway PostgreSQL cluster for the tests: initdb into a temporary folder, a server on
a Unix socket only (no TCP), stopped and deleted afterwards. PostgreSQL refuses to run as
root, so as root the cluster belongs to the `postgres` user (Debian's package makes it)."""

import os
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def binaries() -> Path | None:
    """Where initdb and pg_ctl are: Debian keeps them off PATH, per major version."""
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "initdb").exists():
            return folder
    found = shutil.which("initdb")
    return Path(found).parent if found else None


@dataclass
class Cluster:
    base: Path
    bin: Path
    port: int
    owner: list[str]  # the command prefix that runs as the cluster's owner

    @property
    def socket(self) -> Path:
        return self.base / "sock"

    def conninfo(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return f"host={self.socket} port={self.port} dbname={dbname} user={user}"

    def ctl(self, *args: str) -> None:
        subprocess.run([*self.owner, str(self.bin / "pg_ctl"), "-D", str(self.base / "data"),
                        *args], check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        try:
            self.ctl("-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


def start() -> Cluster:
    folder = binaries()
    if folder is None:
        raise FileNotFoundError("PostgreSQL's initdb is not installed "
                                "(apt-get install postgresql)")
    base = Path(tempfile.mkdtemp(prefix="hotline-pg-"))
    owner: list[str] = []
    if os.geteuid() == 0:
        owner = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres", "postgres")
    run = [*owner]
    subprocess.run([*run, "mkdir", "-m", "700", str(base / "sock")], check=True)
    subprocess.run([*run, str(folder / "initdb"), "-D", str(base / "data"), "-A", "trust",
                    "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"],
                   check=True, capture_output=True, timeout=120)
    port = 20000 + secrets.randbelow(20000)  # names the socket file only: no TCP
    cluster = Cluster(base, folder, port, owner)
    options = (f"-k {base / 'sock'} -p {port} -c listen_addresses='' -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off")
    cluster.ctl("-l", str(base / "server.log"), "-o", options, "-w", "start")
    return cluster
