"""Airflow security (issue 11), fast and without servers: no hard-coded secret in any tracked file;
every secret in docker-compose.yml is a required ``${NAME:?...}`` from .env (no defaults) and blank
in .env.example; ``make up`` (``parkwatch.orchestration.up``) generates its admin password and Airflow keys at
random per home, 0600, reuses them, names the auth manager explicitly and binds to loopback.
"""
from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from parkwatch.orchestration import up

ROOT = Path(__file__).resolve().parents[3]
THIS = Path(__file__).resolve().relative_to(ROOT).as_posix()  # holds the patterns themselves

# ---------------------------------------------------------------- 1. no secret in the repository
SKIP_FILES = re.compile(r"(^uv\.lock$|/vendor/|\.min\.js$|\.(png|jpe?g|gif|ico|pdf|duckdb|parquet|gz|zip)$)")
SECRET_NAME = r"(?:password|passwd|secret|token|fernet_key|jwt_secret|api_key|apikey|private_key|access_key)"
PATTERNS = {
    # KEY=value / key: value / "key": "value" where the key names a secret (not inside ${...})
    "secret assignment": re.compile(
        rf"(?i)(?<![\w{{$])(?P<name>\w*{SECRET_NAME}\w*)[\"']?\s*(?::|=)\s*(?P<q>[\"']?)(?P<value>[^\s\"',;{{}})#]*)"),
    # scheme://user:password@host with a literal password
    "password in URL": re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s/:@\"']*:(?P<value>[^\s/@\"']+)@"),
    # the default pairs people leave behind
    "default credential": re.compile(
        r"(?i)(?<![\w-])(?P<value>(admin|airflow|guest|postgres|root|superset|user):"
        r"(admin|airflow|guest|postgres|root|superset|password|changeme))(?![\w-])"),
    "fernet key": re.compile(r"(?<![A-Za-z0-9_-])(?P<value>[A-Za-z0-9_-]{43}=)(?![A-Za-z0-9_=-])"),
    "private key": re.compile(r"(?P<value>-----BEGIN [A-Z ]*PRIVATE KEY-----)"),
    "token format": re.compile(r"(?P<value>\b(ghp_[A-Za-z0-9]{30,}|gh[sour]_[A-Za-z0-9]{30,}|xox[abprs]-[A-Za-z0-9-]{10,}"
                               r"|AKIA[0-9A-Z]{16}|sk-[A-Za-z0-9]{20,}|eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}))"),
    "webhook URL": re.compile(r"(?P<value>https://(hooks\.slack\.com/services/|discord(app)?\.com/api/webhooks/|"
                              r"oapi\.dingtalk\.com/robot/send\?access_token=|qyapi\.weixin\.qq\.com/cgi-bin/webhook/send\?key=)\S+)"),
    "bearer token": re.compile(r"(?i)\bBearer\s+(?P<value>[A-Za-z0-9._~+/-]{20,}=*)"),
}
# values that are references, not secrets: ${VAR}, $$VAR, {f-string}, <placeholder>, a path, empty
REFERENCE = re.compile(r"^$|^[${<%/*\[(\\]")
ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")  # the name of an environment variable
# unquoted in source code: a name, an attribute, a call or a type, not a literal
CODE = re.compile(r"^[A-Za-z_][\w.]*([(\[].*)?$")
NOT_A_SECRET_NAME = re.compile(r"(?i)(_file|_path|_dir)s?$")  # PASSWORDS_FILE = "…": names a file
CODE_FILES = (".py", ".js", ".sql", ".jinja", ".html")
# (file, value) pairs of deliberate, harmless literals: test fixtures and documented examples
ALLOWLIST = {
    ("tests/integration/test_airflow_alerts.py", "t0ken-value"),  # a header the local test webhook echoes
}
# user:role pairs for SimpleAuthManager ("admin:admin" is user admin with role admin), not passwords
USER_ROLE_CONTEXT = re.compile(r"(?i)SIMPLE_AUTH_MANAGER_USERS")


def is_reference(kind: str, m: re.Match, path: str) -> bool:
    value = m["value"].strip()
    if kind == "password in URL":
        return bool(re.match(r"^[${<]", value))
    if kind != "secret assignment":
        return False
    if NOT_A_SECRET_NAME.search(m["name"]):
        return True
    quoted = bool(m["q"])
    if REFERENCE.search(value) or ENV_NAME.fullmatch(value):
        return True
    return not quoted and path.endswith(CODE_FILES) and bool(CODE.fullmatch(value))


def tracked_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        pytest.skip("not a git checkout")
    return [f for f in out.decode().split("\0") if f and f != THIS and not SKIP_FILES.search(f)]


def scan(path: str, text: str) -> list[str]:
    hits = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if len(line) > 2000:  # minified or generated data, not configuration
            continue
        for kind, rx in PATTERNS.items():
            for m in rx.finditer(line):
                value = m["value"].strip()
                if is_reference(kind, m, path):
                    continue
                if (path, value) in ALLOWLIST:
                    continue
                if kind == "default credential" and USER_ROLE_CONTEXT.search(line) and value.endswith(":admin"):
                    continue
                hits.append(f"{path}:{lineno}: {kind}: {line.strip()[:160]}")
    return hits


def test_no_hard_coded_secret_in_tracked_files():
    hits = []
    files = tracked_files()
    assert len(files) > 50, files
    for f in files:
        p = ROOT / f
        try:
            if p.is_symlink() or p.stat().st_size > 1_000_000:
                continue
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        hits += scan(f, text)
    assert not hits, "hard-coded secrets (move them to the environment or an Airflow connection):\n" + "\n".join(hits)


@pytest.mark.parametrize("line", [
    "AIRFLOW__CORE__FERNET_KEY: 'lVVXs5Rdnz5uoDWk2m0mIXHHxkJ2mQqTuxAjyT0hD8E='",
    "POSTGRES_PASSWORD=hunter22",
    'password = "s3cr3t-pass"',
    "    password = hunter22  # in a config file",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: postgresql://airflow:airflow@postgres/airflow",
    "redis://:opensesame@redis:6379/0",
    "login admin:admin",
    "AIRFLOW__API__SECRET_KEY=abc123def456",
    '"jwt_secret": "0123456789abcdef"',
    "-----BEGIN RSA PRIVATE KEY-----",
    "url = 'https://hooks.slack.com/services/T000/B000/XXXXXXXX'",
])
def test_the_scan_catches_planted_secrets(line):
    assert scan("planted.txt", line), line


@pytest.mark.parametrize("line", [
    "AIRFLOW__CORE__FERNET_KEY: ${AIRFLOW_FERNET_KEY:?set AIRFLOW_FERNET_KEY in .env}",
    "POSTGRES_PASSWORD=",
    "redis://:${REDIS_PASSWORD:?set REDIS_PASSWORD in .env}@redis:6379/0",
    "AIRFLOW_ADMIN_PASSWORD=",
    '"fernet_key": "AIRFLOW__CORE__FERNET_KEY",',
    "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS: ${AIRFLOW_ADMIN_USER:?x}:admin",
    '"AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",',
    "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE: /opt/airflow/secrets/passwords.json",
])
def test_the_scan_lets_references_pass(line):
    assert not scan("fine.txt", line), line


@pytest.mark.parametrize("line", [
    "password = secrets.token_urlsafe(12)",
    "def login(self, username: str, password: str) -> None:",
    "token = body[\"access_token\"]",
    "headers={\"Authorization\": f\"Bearer {self.token}\"}",
])
def test_the_scan_lets_code_pass(line):
    assert not scan("code.py", line), line


# ---------------------------------------------------------------- 2. docker compose and .env.example
SECRET_VAR = re.compile(r"PASSWORD|SECRET|FERNET|JWT|TOKEN|_KEY$|API_KEY|_CONN$")
OPTIONAL_SECRETS = {"PARKWATCH_ALERTS_CONN"}  # the optional webhook connection: may stay empty, never a default value
VAR = re.compile(r"(?<!\$)\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?+])?(?P<arg>[^}]*)\}")


def _strings(node):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)
    elif isinstance(node, str):
        yield node


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    out = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, sep, value = line.partition("=")
            assert sep, f".env.example: not KEY=VALUE: {line!r}"
            out[key.strip()] = value.strip()
    return out


def test_compose_secrets_are_required_from_env_without_defaults(compose):
    seen, bad = set(), []
    for s in _strings(compose):
        for m in VAR.finditer(s):
            name, op, arg = m["name"], m["op"] or "", m["arg"]
            if not SECRET_VAR.search(name):
                continue
            seen.add(name)
            if name in OPTIONAL_SECRETS:
                if not (op in (":-", "-") and arg == ""):
                    bad.append(f"{m.group(0)}: an optional secret may only default to empty")
            elif op != ":?" or not arg.strip():
                bad.append(f"{m.group(0)}: must be ${{{name}:?message}} (required, no default)")
    assert not bad, "\n".join(bad)
    assert {"POSTGRES_PASSWORD", "REDIS_PASSWORD", "AIRFLOW_ADMIN_PASSWORD", "AIRFLOW_FERNET_KEY",
            "AIRFLOW_API_SECRET_KEY", "AIRFLOW_JWT_SECRET", "SUPERSET_SECRET_KEY", "SUPERSET_ADMIN_PASSWORD"} <= seen


def _environments(compose):
    yield "x-airflow-env", compose["x-airflow-env"]
    for name, svc in compose["services"].items():
        env = svc.get("environment") or {}
        if isinstance(env, list):
            env = dict(e.partition("=")[::2] for e in env)
        yield name, env


def test_compose_secret_settings_take_their_value_from_env(compose):
    """No literal value for any secret-named setting (``*_FILE`` paths aside)."""
    bad = []
    for where, env in _environments(compose):
        for key, value in env.items():
            if key == "<<" or key.endswith("_FILE") or not SECRET_VAR.search(key.upper()):
                continue
            if not VAR.search(str(value)):
                bad.append(f"{where}: {key}: {value!r} is not from the environment")
    assert not bad, "\n".join(bad)


def test_compose_airflow_keys_auth_manager_and_published_ports(compose):
    env = compose["x-airflow-env"]
    for key, var in (("AIRFLOW__CORE__FERNET_KEY", "AIRFLOW_FERNET_KEY"),
                     ("AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW_JWT_SECRET"),
                     ("AIRFLOW__API__SECRET_KEY", "AIRFLOW_API_SECRET_KEY")):
        assert re.fullmatch(rf"\$\{{{var}:\?[^}}]+\}}", env[key]), (key, env[key])
    assert up.AUTH_MANAGER in env["AIRFLOW__CORE__AUTH_MANAGER"]  # named, not left to a default
    assert env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS"] == "False"
    for name, svc in compose["services"].items():
        for port in svc.get("ports") or []:
            assert str(port).startswith("${PUBLISH_ADDRESS:-127.0.0.1}:"), f"{name} publishes {port} on every interface"
    redis = compose["services"]["redis"]
    assert "REDIS_PASSWORD" not in json.dumps(redis["healthcheck"]), "redis-cli gets the password via REDISCLI_AUTH"


def test_env_example_leaves_every_secret_blank_and_lists_every_required_variable(compose, env_example):
    filled = {k: v for k, v in env_example.items() if SECRET_VAR.search(k) and v}
    assert not filled, f".env.example must not carry secret values: {filled}"
    required = {m["name"] for s in _strings(compose) for m in VAR.finditer(s) if m["op"] == ":?"}
    missing = required - env_example.keys()
    assert not missing, f"required by docker-compose.yml but not in .env.example: {sorted(missing)}"


def test_env_file_is_ignored_by_git():
    try:
        r = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT, timeout=30)
    except OSError:
        pytest.skip("no git")
    assert r.returncode == 0, ".env (the compose secrets) must be in .gitignore"


# ---------------------------------------------------------------- 3. make up: generated, private, reused
def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_deployment_keys_are_random_per_home_private_and_reused(tmp_path):
    from cryptography.fernet import Fernet

    a, b = tmp_path / "a" / "airflow", tmp_path / "b" / "airflow"
    ka, kb = up.deployment_secrets(a), up.deployment_secrets(b)
    assert ka.keys() == kb.keys() == up.SECRET_ENV.keys()
    for name in ka:
        assert ka[name] != kb[name] and len(ka[name]) >= 32, name
    Fernet(ka["fernet_key"].encode())  # a valid key
    path = a / up.SECRETS_FILE
    assert mode(path) == 0o600 and mode(a) == 0o700
    assert up.deployment_secrets(a) == ka, "reused on the next start"
    path.chmod(0o644)
    assert up.deployment_secrets(a) == ka and mode(path) == 0o600, "permissions tightened again"


def test_deployment_keys_adopt_the_fernet_key_an_existing_metadata_db_uses(tmp_path):
    from cryptography.fernet import Fernet

    home = tmp_path / "airflow"
    home.mkdir()
    key = Fernet.generate_key().decode()
    (home / "airflow.cfg").write_text(f"[core]\nfernet_key = {key}\n\n[api]\nsecret_key = x\n", encoding="utf-8")
    assert up.deployment_secrets(home)["fernet_key"] == key


def test_admin_password_is_generated_private_and_reused(tmp_path):
    old = os.umask(0)  # the most permissive umask: the file must still be 0600
    try:
        user, pw, created = up.admin_credentials(tmp_path / "a")
    finally:
        os.umask(old)
    assert (user, created) == ("admin", True) and len(pw) >= 16
    path = tmp_path / "a" / up.PASSWORDS_FILE
    assert mode(path) == 0o600 and json.loads(path.read_text()) == {"admin": pw}
    assert up.admin_credentials(tmp_path / "a") == ("admin", pw, False)
    assert up.admin_credentials(tmp_path / "b")[1] != pw
    path.chmod(0o644)  # as Airflow itself creates it
    up.admin_credentials(tmp_path / "a")
    assert mode(path) == 0o600


def test_admin_password_file_from_airflow_is_kept(tmp_path):
    home = tmp_path / "airflow"
    home.mkdir()
    (home / up.PASSWORDS_FILE).write_text('{"admin": "fromAirflowBefore"}\n')
    assert up.admin_credentials(home) == ("admin", "fromAirflowBefore", False)


def test_security_env_names_the_auth_manager_and_passes_the_keys(tmp_path):
    home = tmp_path / "airflow"
    env = up.security_env(home, environ={})
    assert env["AIRFLOW__CORE__AUTH_MANAGER"] == up.AUTH_MANAGER
    assert env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"] == "admin:admin"  # user admin, role admin
    assert env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"] == str(home / up.PASSWORDS_FILE)
    assert env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS"] == "False"
    keys = up.deployment_secrets(home)
    assert {env[var] for var in up.SECRET_ENV.values()} == set(keys.values())
    # a key the operator already set in the environment wins and is not overwritten
    mine = up.security_env(home, environ={"AIRFLOW__API__SECRET_KEY": "from-the-operator"})
    assert "AIRFLOW__API__SECRET_KEY" not in mine and mine["AIRFLOW__CORE__FERNET_KEY"] == keys["fernet_key"]


def test_standalone_env_binds_loopback_and_carries_no_default_secret(tmp_path, warehouse_home, monkeypatch):
    for var in up.SECRET_ENV.values():
        monkeypatch.delenv(var, raising=False)
    env = up.standalone_env(18080, 18700)
    assert env["AIRFLOW__API__HOST"] == "127.0.0.1"
    assert env["AIRFLOW_HOME"] == str(tmp_path / "airflow") and mode(tmp_path / "airflow") == 0o700
    assert all(env[var] for var in up.SECRET_ENV.values())
    assert up.standalone_env(18080, 18700, "0.0.0.0")["AIRFLOW__API__HOST"] == "0.0.0.0"  # only when asked


def test_private_writes_and_the_fernet_key_in_airflow_cfg(tmp_path):
    cfg = tmp_path / "airflow.cfg"
    cfg.write_text("[core]\nfernet_key = \n\n[api]\nsecret_key = abc\n")
    cfg.chmod(0o600)
    assert up.sync_cfg_fernet_key(tmp_path, "K" * 43 + "=")
    assert "fernet_key = " + "K" * 43 + "=" in cfg.read_text() and mode(cfg) == 0o600
    assert not up.sync_cfg_fernet_key(tmp_path, "other"), "a key already there is left alone"
    assert not up.sync_cfg_fernet_key(tmp_path / "missing", "x")
    assert not list(tmp_path.glob(".tmp-*")), "no temporary file left behind"


def test_the_settings_exist_in_the_installed_airflow():
    """The names used above are Airflow's (``config.yml`` of the installed package, read as text,
    without importing Airflow)."""
    cfg = next((Path(p) / "airflow" / "config_templates" / "config.yml" for p in sys.path
                if (Path(p) / "airflow" / "config_templates" / "config.yml").is_file()), None)
    if cfg is None:
        pytest.skip("apache-airflow is not installed")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    sections = yaml.load(cfg.read_text(encoding="utf-8"), Loader=loader)
    for var in [*up.SECRET_ENV.values(), "AIRFLOW__CORE__AUTH_MANAGER", "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS",
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE", "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS",
                "AIRFLOW__API__HOST", "AIRFLOW__API__EXPOSE_CONFIG"]:
        section, option = var.removeprefix("AIRFLOW__").lower().split("__")
        assert option in sections[section]["options"], var
    assert sections["core"]["options"]["auth_manager"]["default"] == up.AUTH_MANAGER
    module = cfg.parents[1] / (up.AUTH_MANAGER.rsplit(".", 1)[0].removeprefix("airflow.").replace(".", "/") + ".py")
    assert module.is_file() and "class SimpleAuthManager" in module.read_text(encoding="utf-8")


# ---------------------------------------------------------------- 4. the alerts webhook
def test_alert_webhook_without_a_scheme_is_https(monkeypatch):
    import types

    from parkwatch.orchestration import alerts

    conn = types.SimpleNamespace(host="hooks.example.org", schema="", port=None, extra_dejson={"endpoint": "/pw"})
    fake = types.ModuleType("airflow.sdk")
    fake.Connection = types.SimpleNamespace(get=lambda conn_id: conn)
    monkeypatch.setitem(sys.modules, "airflow.sdk", fake)
    assert alerts.webhook_target() == ("https://hooks.example.org/pw", {})


def test_alert_payload_is_masked_like_airflow_logs_before_it_is_posted(monkeypatch):
    import types

    from parkwatch.orchestration import alerts

    fake = types.ModuleType("airflow.sdk.log")  # Airflow's redact(), with one registered secret
    fake.redact = lambda item: {k: v.replace("hunter2pw", "***") if isinstance(v, str) else v for k, v in item.items()}
    monkeypatch.setitem(sys.modules, "airflow.sdk.log", fake)
    posted = []
    monkeypatch.setattr(alerts, "webhook_target", lambda conn_id=alerts.ALERT_CONN_ID: ("https://hooks.example.org/x", {}))
    monkeypatch.setattr(alerts, "post_json", lambda url, payload, headers=None: posted.append(payload) or 200)
    assert alerts.send_alert({"dag_id": "d", "task_id": "t", "exception": "OperationalError: postgresql://u:hunter2pw@db"})
    [payload] = posted
    assert "hunter2pw" not in json.dumps(payload) and "***" in payload["exception"] and "***" in payload["text"]
