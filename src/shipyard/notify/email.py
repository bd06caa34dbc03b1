"""E-mail alerts over SMTP: STARTTLS with certificate verification unless the definition says
`starttls = false`; a password is only ever sent over plain text with `insecure = true`."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from shipyard.notify.interface import Alert, NotifyError, Severity


@dataclass
class Email:
    host: str
    port: int
    sender: str
    recipients: list[str]
    min_severity: Severity = Severity.HIGH
    starttls: bool = True
    username: str | None = None
    password: str | None = None
    name: str = "email"
    ca_file: str | None = None  # a private CA to trust instead of the system's
    insecure: bool = False  # allows a login without TLS

    def send(self, alert: Alert) -> None:
        msg = EmailMessage()
        msg["Subject"] = f"[{alert.severity}] {alert.title}"
        msg["From"] = self.sender
        msg["To"] = ", ".join(self.recipients)
        msg["X-Shipyard-Alert"] = alert.fingerprint
        msg.set_content(f"{alert.body}\n\n-- shipyard monitor, check {alert.source}\n")
        where = f"e-mail to {msg['To']} via {self.host}:{self.port}"
        try:
            with smtplib.SMTP(self.host, self.port, timeout=15) as smtp:
                self._secure(smtp, where)
                if self.username and self.password:
                    smtp.login(self.username, self.password)
                smtp.send_message(msg)
        except NotifyError:
            raise
        except (OSError, smtplib.SMTPException) as exc:
            raise NotifyError(
                f"{where} failed: {type(exc).__name__}: {_safe(exc, self.password)}",
                hint="with a private CA set ca-file" if "CERTIFICATE" in str(exc) else None,
            ) from None

    def _secure(self, smtp: smtplib.SMTP, where: str) -> None:
        if not self.starttls:
            if self.password and not self.insecure:  # also checked when the channel is built
                raise NotifyError(f"{where}: refusing to send the password without TLS")
            return
        import ssl

        smtp.ehlo()
        if not smtp.has_extn("starttls"):
            raise NotifyError(
                f"{where}: the server does not offer STARTTLS",
                hint="use a server that does, or set starttls = false (no password then)",
            )
        smtp.starttls(context=ssl.create_default_context(cafile=self.ca_file))
        smtp.ehlo()


def _safe(exc: BaseException, secret: str | None) -> str:
    text = str(exc)
    return text.replace(secret, "***") if secret else text
