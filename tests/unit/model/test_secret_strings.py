"""`${secret:<item>.<key>}` inside env values and files: what the model makes of it."""

from __future__ import annotations

from collections.abc import Callable

from generator.model import Platform
from generator.model.parts import EnvVar, SecretUse
from generator.model.secret_strings import interpolate_env, variable_name
from generator.pipeline import EnvResult

Built = Callable[..., Platform]
Analysed = Callable[..., EnvResult]


def _env(**values: object) -> tuple[EnvVar, ...]:
    return tuple(EnvVar(name, value, None, ("env", name)) for name, value in values.items())  # type: ignore[arg-type]


def test_a_generated_variable_comes_before_the_variable_that_reads_it() -> None:
    out = interpolate_env(_env(HOST="db", DSN="postgres://u:${secret:shop-db.password}@db/shop"))
    assert [e.name for e in out] == ["HOST", "PLATFORMC_SECRET_SHOP_DB__PASSWORD", "DSN"]
    generated, dsn = out[1], out[2]
    assert generated.secret == SecretUse("shop-db", "password", "DSN", ("env", "DSN"))
    assert generated.value is None and generated.generated_for == "DSN"
    assert dsn.value == "postgres://u:$(PLATFORMC_SECRET_SHOP_DB__PASSWORD)@db/shop"
    assert dsn.as_written == "postgres://u:${secret:shop-db.password}@db/shop"


def test_one_key_read_twice_is_one_variable_defined_before_its_first_use() -> None:
    out = interpolate_env(_env(A="${secret:s.k}", B="x-${secret:s.k}-y"))
    assert [e.name for e in out] == ["PLATFORMC_SECRET_S__K", "A", "B"]
    assert out[2].value == "x-$(PLATFORMC_SECRET_S__K)-y"


def test_generated_names_never_shadow_a_written_variable_or_each_other() -> None:
    taken = variable_name("a", "b-c")
    assert variable_name("a", "b_c") == taken  # two keys, one name: the second gets a suffix
    out = interpolate_env(_env(**{taken: "mine", "X": "${secret:a.b-c}${secret:a.b_c}"}))
    names = [e.name for e in out]
    assert names == [taken, f"{taken}_2", f"{taken}_3", "X"]
    assert len(set(names)) == len(names)
    assert out[3].value == f"$({taken}_2)$({taken}_3)"


def test_a_value_without_a_secret_token_is_untouched() -> None:
    written = _env(PLAIN="${ref:db.postgres}", NUMBER=3, MALFORMED="${secret:no-key}")
    assert interpolate_env(written) == written


def test_the_model_env_lists_generated_variables_in_order(language: Built) -> None:
    api = language().find("shop/api")
    assert api is not None
    assert [(e.name, e.generated_for) for e in api.env] == [
        ("PLATFORMC_SECRET_SHOP_DB__USERNAME", "PGRST_DB_URI"),
        ("PLATFORMC_SECRET_SHOP_DB__PASSWORD", "PGRST_DB_URI"),
        ("PGRST_DB_URI", None),
        ("PGRST_DB_ANON_ROLE", None),
    ]
    # Every secret key a string reads is a use the secret rules check (item declared, key listed).
    assert {(u.item, u.key, u.env) for u in api.secrets} == {
        ("shop-db", "username", "PGRST_DB_URI"),
        ("shop-db", "password", "PGRST_DB_URI"),
        ("shop-db", "username", "/etc/postgrest/jwt.conf"),
        ("shop-db", "password", "/etc/postgrest/jwt.conf"),
    }
    # What rules scan as written is the document, not the generated variables.
    env = dict(api.settings())["env"]
    assert isinstance(env, dict) and list(env) == ["PGRST_DB_URI", "PGRST_DB_ANON_ROLE"]


def test_a_secret_inside_a_string_is_checked_like_any_secret_use(
    language_result: Analysed, language_text: str
) -> None:
    text = language_text.replace("${secret:shop-db.password}@", "${secret:shop-db.pasword}@")
    result = language_result(text)
    found = [f for f in result.findings if f.rule.startswith("PC4")]
    assert [f.rule for f in found] == ["PC402"], found
    line = next(n for n, written in enumerate(text.splitlines(), 1) if "shop-db.pasword" in written)
    assert 'reads key "pasword"' in found[0].message and found[0].line == line
