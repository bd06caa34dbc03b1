"""Keeping credentials out of everything shipyard prints or stores.

`url` / `urls_in` hide the credentials embedded in URLs (user:password@, token@, secret query
parameters); `Masker` replaces the values of secret-looking environment variables with ***.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "***"
SECRET_PARAM = re.compile(r"token|key|secret|password|passwd|pwd|sig|signature|auth", re.I)
LOGIN = re.compile(r"[a-z_][a-z0-9_.-]{0,31}")  # a user name such as git, not a token
URL_WITH_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<info>[^\s/@'\"<>]+)@")


def _userinfo(info: str) -> str:
    user, sep, _password = info.partition(":")
    if sep:
        return f"{user}:{MASK}"
    return info if LOGIN.fullmatch(info) else MASK


def url(text: str) -> str:
    """The URL with its credentials replaced by ***; anything unparsable is returned masked."""
    try:
        parts = urlsplit(text)
    except ValueError:
        return urls_in(text)
    netloc = parts.netloc
    if "@" in netloc:
        info, _, host = netloc.rpartition("@")
        netloc = f"{_userinfo(info)}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, MASK if SECRET_PARAM.search(k) else v) for k, v in pairs], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def urls_in(text: str) -> str:
    """`text` with the userinfo of every URL in it masked (git+https://x:TOKEN@host → x:***@)."""
    return URL_WITH_USERINFO.sub(lambda m: f"{m['scheme']}{_userinfo(m['info'])}@", text)


SECRET_NAME = re.compile(r"(?:^|_)(?:TOKEN|KEY|SECRET|PASSWORD|DSN)$", re.I)
MIN_LENGTH = 4  # shorter values ("1", "true") would mask ordinary output everywhere


def secret_values(env: Mapping[str, str], names: Iterable[str] = ()) -> list[str]:
    """The values to hide: variables named like secrets, plus the definition's `mask` list;
    longest first, so that a secret containing another is hidden whole."""
    listed = set(names)
    found = {
        line
        for name, value in env.items()
        if SECRET_NAME.search(name) or name in listed
        for line in [value, *value.splitlines()]  # multi-line keys: each line too
        if len(line.strip()) >= MIN_LENGTH
    }
    return sorted(found, key=len, reverse=True)


class Masker:
    """Replaces secret values with *** and masks credentials in URLs."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = [s for s in secrets if s]
        self._pattern = (
            re.compile("|".join(re.escape(s) for s in self.secrets)) if self.secrets else None
        )
        self._bytes = (
            re.compile(b"|".join(re.escape(s.encode()) for s in self.secrets))
            if self.secrets
            else None
        )
        self.longest = max((len(s.encode()) for s in self.secrets), default=0)

    def text(self, text: str) -> str:
        if self._pattern is not None:
            text = self._pattern.sub(MASK, text)
        return urls_in(text)

    def data(self, data: bytes) -> bytes:
        if self._bytes is not None:
            data = self._bytes.sub(MASK.encode(), data)
        return URL_WITH_USERINFO_B.sub(
            lambda m: m["scheme"] + _userinfo(m["info"].decode(errors="replace")).encode() + b"@",
            data,
        )


URL_WITH_USERINFO_B = re.compile(URL_WITH_USERINFO.pattern.encode())
