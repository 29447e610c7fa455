"""Senders: the ``Sender`` protocol, and the shipped one, SMTP on the standard library.

A sender has one method, ``send(message)``. It returns when the message is handed over
(to the mail server, to Slack...), raises :class:`~workflowkit.notify.errors.DeliveryError`
when it cannot deliver at all (nothing more is tried in that run) and
:class:`~workflowkit.notify.errors.MessageRefusedError` when this one message was refused
(the rest still go). An app plugs its own in by writing a class with that method.

:class:`SmtpSender` keeps one connection for a run (opened at the first message, closed
by :meth:`SmtpSender.close` or the ``with`` block). Its settings come from the
environment (:meth:`SmtpSettings.from_env`):

``WORKFLOWKIT_SMTP_HOST`` (required), ``WORKFLOWKIT_SMTP_PORT`` (default 587 for
``starttls``, 465 for ``ssl``, 25 for ``none``), ``WORKFLOWKIT_SMTP_SECURITY``
(``starttls``, the default; ``ssl``; or ``none``), ``WORKFLOWKIT_SMTP_USER`` and
``WORKFLOWKIT_SMTP_PASSWORD`` (log in when a user is given), ``WORKFLOWKIT_SMTP_FROM``
(required: the From address, ``Name <addr>`` or ``addr``), ``WORKFLOWKIT_SMTP_TIMEOUT``
(seconds, default 30).
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from typing import Final, Protocol, runtime_checkable

from workflowkit.notify.errors import DeliveryError, MessageRefusedError, SenderSettingsError
from workflowkit.notify.message import Message

SECURITIES: Final = ("starttls", "ssl", "none")
DEFAULT_PORTS: Final = {"starttls": 587, "ssl": 465, "none": 25}
ENV: Final = "WORKFLOWKIT_SMTP_"


@runtime_checkable
class Sender(Protocol):
    """Delivers one message, or raises ``DeliveryError`` / ``MessageRefusedError``."""

    def send(self, message: Message) -> None: ...


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where and how to send mail."""

    host: str
    sender: str
    """The From address: ``addr`` or ``Name <addr>``."""
    port: int | None = None
    security: str = "starttls"
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0

    def __post_init__(self) -> None:
        if not self.host or not isinstance(self.host, str):
            raise SenderSettingsError(f"{ENV}HOST", "the SMTP server's host name is required")
        if self.security not in SECURITIES:
            raise SenderSettingsError(
                f"{ENV}SECURITY", f"{self.security!r} is not one of {', '.join(SECURITIES)}"
            )
        if self.port is not None and not 0 < self.port < 65536:
            raise SenderSettingsError(f"{ENV}PORT", f"{self.port} is not a TCP port")
        _, addr = parseaddr(self.sender)
        if not addr or "@" not in addr:
            raise SenderSettingsError(f"{ENV}FROM", f"{self.sender!r} is not an email address")
        if self.password is not None and self.user is None:
            raise SenderSettingsError(f"{ENV}USER", "a password is given but no user")
        if self.timeout <= 0:
            raise SenderSettingsError(f"{ENV}TIMEOUT", "must be more than 0 seconds")

    @property
    def effective_port(self) -> int:
        return self.port if self.port is not None else DEFAULT_PORTS[self.security]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmtpSettings:
        """The settings in ``WORKFLOWKIT_SMTP_*`` (of ``env``, else ``os.environ``)."""
        e = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = e.get(ENV + name, "").strip()
            return value or None

        host, sender = get("HOST"), get("FROM")
        if host is None:
            raise SenderSettingsError(f"{ENV}HOST", "is not set: name the SMTP server")
        if sender is None:
            raise SenderSettingsError(f"{ENV}FROM", "is not set: give the From address")
        port_text, timeout_text = get("PORT"), get("TIMEOUT")
        try:
            port = None if port_text is None else int(port_text)
        except ValueError:
            raise SenderSettingsError(f"{ENV}PORT", f"{port_text!r} is not a number") from None
        try:
            timeout = 30.0 if timeout_text is None else float(timeout_text)
        except ValueError:
            raise SenderSettingsError(
                f"{ENV}TIMEOUT", f"{timeout_text!r} is not a number of seconds"
            ) from None
        return cls(
            host=host,
            sender=sender,
            port=port,
            security=(get("SECURITY") or "starttls").lower(),
            user=get("USER"),
            password=e.get(ENV + "PASSWORD") or None,
            timeout=timeout,
        )


def email_message(message: Message, sender: str) -> EmailMessage:
    """The RFC 5322 message for ``message``, with its stable Message-ID."""
    n = message.notification
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = formataddr((message.to.name, message.to.email))
    mail["Subject"] = message.subject
    mail["Message-ID"] = message.message_id
    mail["Date"] = format_datetime(n.at)
    mail["X-Workflowkit-Instance"] = n.instance
    mail["X-Workflowkit-Kind"] = n.kind
    mail.set_content(message.body)
    return mail


class SmtpSender:
    """A :class:`Sender` over SMTP (``smtplib``): STARTTLS, implicit TLS or plain."""

    def __init__(self, settings: SmtpSettings, *, context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self._context = context
        self._smtp: smtplib.SMTP | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmtpSender:
        return cls(SmtpSettings.from_env(env))

    @property
    def server(self) -> str:
        return f"smtp://{self.settings.host}:{self.settings.effective_port}"

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = self._context or ssl.create_default_context()
        smtp: smtplib.SMTP | None = None
        try:
            if s.security == "ssl":
                smtp = smtplib.SMTP_SSL(
                    s.host, s.effective_port, timeout=s.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(s.host, s.effective_port, timeout=s.timeout)
                if s.security == "starttls":
                    smtp.starttls(context=context)
            if s.user is not None:
                smtp.login(s.user, s.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            self._drop(smtp)
            raise DeliveryError(self.server, f"the login was refused: {_why(exc)}") from None
        except (smtplib.SMTPException, OSError) as exc:
            self._drop(smtp)
            raise DeliveryError(self.server, f"cannot connect: {_why(exc)}") from None
        return smtp

    @staticmethod
    def _drop(smtp: smtplib.SMTP | None) -> None:
        if smtp is not None:
            with contextlib.suppress(OSError):
                smtp.close()

    def send(self, message: Message) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        mail = email_message(message, self.settings.sender)
        try:
            self._smtp.send_message(mail, to_addrs=[message.to.email])
        except smtplib.SMTPRecipientsRefused as exc:
            raise MessageRefusedError(
                message.notification.id, message.to.email, f"recipient refused: {_why(exc)}"
            ) from None
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
            raise MessageRefusedError(
                message.notification.id, message.to.email, f"message refused: {_why(exc)}"
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            self._drop(self._smtp)
            self._smtp = None
            raise DeliveryError(self.server, f"the connection failed: {_why(exc)}") from None

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._drop(smtp)

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _why(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = (
            exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else ""
        )
        return f"{exc.smtp_code} {text}".strip()
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{rcpt}: {code} {msg.decode('utf-8', 'replace')}"
            for rcpt, (code, msg) in exc.recipients.items()
        )
    return " ".join(str(exc).split()) or type(exc).__name__
