"""Credentials and keys of ``make up``: no defaults, generated at random per home.

On the first start the admin password (``simple_auth_manager_passwords.json.generated``) and the
deployment keys Airflow needs (``[core] fernet_key``, ``[api_auth] jwt_secret``, ``[api] secret_key``,
in ``parkwatch_secrets.json``) are generated, written with mode 0600 inside a 0700 directory and
reused on every later start. They reach Airflow only through its environment, and a value already
set in the environment wins.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path

from parkwatch.common.files import atomic_write_text
from parkwatch.orchestration.up.errors import UpError

AUTH_MANAGER = "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
ADMIN_USER = "admin"
PASSWORDS_FILE = "simple_auth_manager_passwords.json.generated"  # Airflow's own name, so older homes keep theirs
SECRETS_FILE = "parkwatch_secrets.json"
PRIVATE = 0o600  # secret files, from their first byte
# the per-deployment keys: name in parkwatch_secrets.json -> the Airflow setting it feeds
SECRET_ENV = {
    "fernet_key": "AIRFLOW__CORE__FERNET_KEY",  # encrypts connections and variables in the metadata DB
    "jwt_secret": "AIRFLOW__API_AUTH__JWT_SECRET",  # signs the UI/API and task (execution API) tokens
    "api_secret_key": "AIRFLOW__API__SECRET_KEY",  # signs sessions and the log servers' tokens
}


def private_dir(path: Path) -> Path:
    """``path`` created if needed and made 0700 (the metadata DB, logs and secrets are in it)."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError as exc:
        raise UpError(f"{path} is not valid JSON ({exc}); fix or remove it") from None
    if not isinstance(data, dict):
        raise UpError(f"{path} should hold a JSON object")
    return data


def _cfg_fernet_key(airflow_home: Path) -> str:
    """The fernet key an existing ``airflow.cfg`` already encrypts the metadata DB with, or ''."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read(airflow_home / "airflow.cfg", encoding="utf-8")
    except configparser.Error:
        return ""
    return parser.get("core", "fernet_key", fallback="").strip()


def generate_secrets() -> dict[str, str]:
    """Fresh random values for every key in :data:`SECRET_ENV`."""
    from cryptography.fernet import Fernet

    return {
        "fernet_key": Fernet.generate_key().decode(),
        "jwt_secret": secrets.token_urlsafe(48),
        "api_secret_key": secrets.token_urlsafe(32),
    }


def deployment_secrets(airflow_home: Path) -> dict[str, str]:
    """The home's Airflow keys: read from ``parkwatch_secrets.json`` (0600), or generated on the
    first start (an existing ``airflow.cfg`` fernet key is adopted, so the metadata DB stays
    readable) and stored; the file is made 0600 again on every call."""
    private_dir(airflow_home)
    path = airflow_home / SECRETS_FILE
    stored = {k: v for k, v in _read_json(path).items() if k in SECRET_ENV and isinstance(v, str) and v}
    if stored.keys() != SECRET_ENV.keys():
        fresh = generate_secrets()
        if "fernet_key" not in stored and (existing := _cfg_fernet_key(airflow_home)):
            fresh["fernet_key"] = existing
        stored = {**fresh, **stored}
        atomic_write_text(path, json.dumps(stored, indent=1) + "\n", mode=PRIVATE)
    path.chmod(PRIVATE)
    return stored


def admin_credentials(airflow_home: Path, user: str = ADMIN_USER) -> tuple[str, str, bool]:
    """``(user, password, created)``: the SimpleAuthManager password file (0600) holds a random
    password for ``user``, generated here when missing (Airflow would create the file world-readable
    and print the password into its log)."""
    private_dir(airflow_home)
    path = airflow_home / PASSWORDS_FILE
    passwords = _read_json(path)
    created = not (isinstance(passwords.get(user), str) and passwords[user])
    if created:
        passwords[user] = secrets.token_urlsafe(18)
        atomic_write_text(path, json.dumps(passwords) + "\n", mode=PRIVATE)
    path.chmod(PRIVATE)
    return user, passwords[user], created


def sync_cfg_fernet_key(airflow_home: Path, fernet_key: str) -> bool:
    """Airflow writes ``airflow.cfg`` with an empty ``fernet_key`` when the key comes from the
    environment; fill it in so plain ``airflow`` commands on this home (``parkwatch demo``) encrypt
    with the same key. A key already there is left alone. True when the file was changed."""
    cfg = airflow_home / "airflow.cfg"
    try:
        text = cfg.read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    new, n = re.subn(r"(?m)^fernet_key[ \t]*=[ \t]*$", f"fernet_key = {fernet_key}", text, count=1)
    if not n:
        return False
    atomic_write_text(cfg, new, mode=PRIVATE)
    return True


def security_env(airflow_home: Path, environ: dict[str, str] | None = None) -> dict[str, str]:
    """The auth manager, its users and password file, and the deployment keys for ``airflow
    standalone``; a key set in ``environ`` (default ``os.environ``) is kept, never overwritten."""
    given: Mapping[str, str] = os.environ if environ is None else environ
    env = {
        "AIRFLOW__CORE__AUTH_MANAGER": AUTH_MANAGER,
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{ADMIN_USER}:admin",  # user:role, no password
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(airflow_home / PASSWORDS_FILE),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
        "AIRFLOW__API__EXPOSE_CONFIG": "False",
    }
    missing = {name: var for name, var in SECRET_ENV.items() if not given.get(var)}
    if missing:
        keys = deployment_secrets(airflow_home)
        env.update({var: keys[name] for name, var in missing.items()})
    return env
