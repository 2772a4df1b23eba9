"""The authoring features end to end: a new platform that uses them renders, and `check` accepts it."""

from __future__ import annotations

from pathlib import Path

from tests.acceptance.conftest import Run


def _use_the_language(root: Path) -> None:
    platform = root / "platform.yaml"
    text = platform.read_text()
    replacements = {
        # node labels and a tainted pool
        "      - {name: node-1, cpu: 8, memory: 32Gi}\n      - {name: node-2, cpu: 8, memory: 32Gi}\n": (
            "      - {name: node-1, cpu: 8, memory: 32Gi, labels: {disktype: ssd}}\n"
            "      - {name: node-2, cpu: 8, memory: 32Gi, labels: {disktype: ssd}}\n"
            "      - name: node-3\n        cpu: 8\n        memory: 32Gi\n        labels: {pool: batch}\n"
            "        taints: [{key: dedicated, value: batch, effect: NoSchedule}]\n"
        ),
        # a template the web server takes its probe from
        "  namespaces:\n": (
            "  templates:\n    probed:\n      probes:\n        readiness: {http: /, port: http}\n"
            "  namespaces:\n"
        ),
        # a file that reads a secret, and placement by labels
        "                listen 8080;\n": "                listen 8080;\n"
        "                # upstream token ${secret:app-db.password}, {{ braces }} kept\n",
        "          ingress: {host: web, port: http}\n": "          ingress: {host: web, port: http}\n"
        "          extends: probed\n"
        "          placement: {nodeSelector: {disktype: ssd}, spreadAcross: hostname, avoid: [postgres]}\n",
    }
    for old, new in replacements.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    platform.write_text(text)


def test_secrets_templates_and_placement_render_and_check(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "acme"
    assert run("init", str(root))[0] == 0
    _use_the_language(root)
    code, output = run("render", "--root", str(root))
    assert code == 0, output
    rendered = root / "rendered"
    texts = {
        p: p.read_text(errors="replace") for p in rendered.rglob("*") if p.is_file() and p.suffix == ".yaml"
    }
    assert not [p for p, text in texts.items() if "${secret:" in text]  # no token, and so no value, rendered
    secret_files = rendered / "dev" / "secrets" / "apps" / "web-secret-files.yaml"
    assert '{{ index . "app_db__password" }}' in secret_files.read_text()
    assert '{{ "{{" }} braces }}' in secret_files.read_text()
    web = (rendered / "dev" / "apps" / "apps" / "charts" / "web" / "values.yaml").read_text()
    assert "secretName: web-secret-files" in web and "podAntiAffinity" in web and "disktype: ssd" in web
    code, output = run("check", "--root", str(root))
    assert code == 0, output
    assert "0 errors" in output
