"""E-mail alerts over SMTP (STARTTLS and login when configured)."""

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
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    name: str = "email"

    def send(self, alert: Alert) -> None:
        msg = EmailMessage()
        msg["Subject"] = f"[{alert.severity}] {alert.title}"
        msg["From"] = self.sender
        msg["To"] = ", ".join(self.recipients)
        msg["X-Shipyard-Alert"] = alert.fingerprint
        msg.set_content(f"{alert.body}\n\n-- shipyard monitor, check {alert.source}\n")
        try:
            with smtplib.SMTP(self.host, self.port, timeout=15) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username and self.password:
                    smtp.login(self.username, self.password)
                smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            raise NotifyError(
                f"e-mail to {msg['To']} via {self.host}:{self.port} failed: "
                f"{type(exc).__name__}: {_safe(exc, self.password)}"
            ) from None


def _safe(exc: BaseException, secret: str | None) -> str:
    text = str(exc)
    return text.replace(secret, "***") if secret else text
